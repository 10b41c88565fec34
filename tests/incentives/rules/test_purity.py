"""The rules package stays pure: importable and usable without Django or a database."""

import ast
import subprocess
import sys
from pathlib import Path

import incentives.rules

PACKAGE = Path(incentives.rules.__file__).resolve().parent
ALLOWED_PROJECT_IMPORTS = ("common.money", "common.periods", "incentives.rules")
# Messages people read (review reasons, staffing warnings) are worded in the active language;
# gettext is the one piece of Django a rule may use — never the ORM or settings directly.
ALLOWED_DJANGO_IMPORTS = ("django.utils.translation",)


def test_rules_import_without_django():
    code = (
        "import sys, incentives.rules; "
        "loaded = sorted(m for m in sys.modules if m.partition('.')[0] in ('django', 'celery')); "
        "assert not loaded, loaded"
    )
    subprocess.run([sys.executable, "-c", code], cwd=PACKAGE.parents[1], check=True, timeout=60)


def _imported_modules(source: Path) -> set[str]:
    tree = ast.parse(source.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_rules_import_only_the_standard_library_and_the_pure_helpers():
    stdlib = sys.stdlib_module_names
    for source in PACKAGE.glob("*.py"):
        for module in _imported_modules(source):
            is_stdlib = module.partition(".")[0] in stdlib or module == "__future__"
            is_helper = module.startswith(ALLOWED_PROJECT_IMPORTS)
            is_translation = module in ALLOWED_DJANGO_IMPORTS
            assert is_stdlib or is_helper or is_translation, f"{source.name} imports {module}"
