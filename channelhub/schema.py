"""The OpenAPI contract at /api/schema/, shaped for clients that tools generate from it.

drf-spectacular describes the views; this module adds what a generated client needs and the
views cannot say one by one:

- one language: the schema is rendered in English whatever the request's Accept-Language, so
  the document (and the class names generators derive from titles) never changes with it;
- a tag per business area and a summary on every operation;
- the error envelope of common/exceptions.py as components (`ValidationError` for 400,
  `Error` for the rest) on every operation's 400/401/403/404, 415 where a body is parsed, and
  on any 429/503 a view declares;
- query-parameter enums as references to the shared enum components (stable English names);
- patterns for period codes (common/periods.py), no `oneOf` for blank-or-formatted text and
  no enum of `[null]` (a nullable choice is its enum, nullable).
"""

from django.utils import translation
from drf_spectacular import generators, openapi
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_choice_field, get_doc
from rest_framework import serializers

from common.access import STAFF_ROLES
from common.api import WriteSubsetChoiceField

API_PREFIX = "/api/v1/"
SCHEMA_LANGUAGE = "en"

# Tag -> (description, the first path segments under /api/v1/ that belong to it).
AREAS = {
    "auth": (
        "Token login: POST username and password, send `Authorization: Token <key>`.",
        ("auth",),
    ),
    "organisation": (
        "Projects (楼盘项目), teams (渠道小组) and staff.",
        ("projects", "teams", "staff"),
    ),
    "partners": (
        "Partners, recruitment (渠道招募), contracts and training.",
        ("partners", "partner-applications", "contracts", "trainings", "partner-scorecards"),
    ),
    "customers": (
        "Customers (客户), registrations (报备) and attribution overrides.",
        ("customers", "registrations", "attribution-overrides"),
    ),
    "sales": (
        "Visits (来访), subscriptions (认购), signings (签约), payments (回款), mortgages (按揭), "
        "daily reports and xlsx imports.",
        ("visits", "subscriptions", "signings", "payments", "mortgages", "daily-reports"),
    ),
    "targets": ("KPI targets and their live attainment.", ("targets",)),
    "incentives": (
        "Incentive plans, compute, leaderboards (排行榜), statements (奖金结算单) and promotions.",
        (
            "incentives",
            "incentive-plans",
            "leaderboards",
            "statements",
            "partner-statements",
            "promotions",
        ),
    ),
    "costs": (
        "Channel costs, budgets, campaigns and cost-effectiveness (费效).",
        ("channel-costs", "budgets", "campaigns", "cost-effectiveness", "staffing-check"),
    ),
    "reports": ("Weekly and monthly reports (周报 / 月报).", ("reports",)),
    "appeals": (
        "Appeals (申诉) about attribution, decided by a channel manager.",
        ("appeals", "appeal-evidence"),
    ),
    "notifications": ("The caller's own inbox (消息).", ("notifications",)),
}
_AREA_OF_SEGMENT = {segment: tag for tag, (_doc, segments) in AREAS.items() for segment in segments}

# Period codes as common/periods.py writes them (its parser also takes lower-case w/q).
PERIOD_PATTERNS = {
    "week": r"^\d{4}-W\d{2}$",
    "month": r"^\d{4}-\d{2}$",
    "quarter": r"^\d{4}-Q[1-4]$",
    "year": r"^\d{4}$",
}
ANY_PERIOD = ("week", "month", "quarter", "year")
# Which period kinds each path's `period` takes, where it is not every kind.
PERIOD_KINDS = {
    "/api/v1/incentives/compute/": ("week", "month"),
    "/api/v1/leaderboards/": ("week", "month"),
    "/api/v1/leaderboards/export/": ("week", "month"),
    "/api/v1/statements/": ("month",),
    "/api/v1/statements/export/": ("month",),
    "/api/v1/partner-statements/": ("month",),
    "/api/v1/channel-costs/": ("month",),
    "/api/v1/incentives/simulate/": ("month", "quarter"),
    "/api/v1/partner-scorecards/": ("month", "quarter"),
    "/api/v1/reports/weekly/": ("week",),
    "/api/v1/reports/monthly/": ("month",),
}
MONTH_FIELDS = ("month",)

ERROR_DESCRIPTIONS = {
    "400": "Invalid input: `errors` names each field with its messages "
    "(`non_field_errors` for the whole request); `detail` repeats the first.",
    "401": "No credentials, or a token that is not valid.",
    "403": "Signed in, but this role may not do this.",
    "404": "No such object, or none the caller may see.",
    "415": "The body is not in the content type this operation takes.",
    "429": "Too many attempts: wait and try again.",
    "503": "A service the request needs is down: nothing was done.",
}
ALWAYS_DOCUMENTED = ("400", "401", "403", "404")


def staff_role_choices():
    """The staff roles as the staff API offers them (ENUM_NAME_OVERRIDES: StaffRoleEnum)."""
    return [(role.value, role.label) for role in STAFF_ROLES]


class ErrorSerializer(serializers.Serializer):
    """The API's error envelope."""

    detail = serializers.CharField(help_text="What went wrong, for a person to act on.")
    code = serializers.CharField(help_text="A machine code, e.g. not_found, permission_denied.")


class ValidationErrorSerializer(ErrorSerializer):
    """The error envelope of invalid input (400)."""

    errors = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text="Field name -> list of messages (nested the way the body is); "
        "`non_field_errors` for the request as a whole. Absent when the body is not "
        "readable at all (e.g. malformed JSON).",
    )


class SchemaGenerator(generators.SchemaGenerator):
    """Renders the schema in English whatever language the request or the shell asks for."""

    def get_schema(self, request=None, public=False):
        with translation.override(SCHEMA_LANGUAGE):
            return super().get_schema(request=request, public=public)


def _words(name: str) -> str:
    return name.replace("_", " ").replace("-", " ")


def _first_sentence(doc: str | None) -> str:
    """A docstring's first sentence (its first paragraph up to the first full stop)."""
    paragraph = " ".join((doc or "").strip().split("\n\n")[0].split())
    return paragraph.split(". ")[0].rstrip(".")


def _with_article(noun: str) -> str:
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


class AutoSchema(openapi.AutoSchema):
    """Tags by area, a summary for every operation and the error envelope on every one."""

    def _segments(self) -> list[str]:
        return [part for part in self.path.removeprefix(API_PREFIX).split("/") if part]

    def get_tags(self) -> list[str]:
        segments = self._segments()
        first = segments[0] if segments else "api"
        return [_AREA_OF_SEGMENT.get(first, first)]

    def get_summary(self) -> str:
        summary = super().get_summary()
        if summary:
            return summary
        action = getattr(self.view, "action", None)
        model = getattr(getattr(self.view, "queryset", None), "model", None)
        if action and model is not None:
            noun = str(model._meta.verbose_name)
            standard = {
                "list": f"List {model._meta.verbose_name_plural}",
                "retrieve": f"Get {_with_article(noun)}",
                "create": f"Create {_with_article(noun)}",
                "update": f"Replace {_with_article(noun)}",
                "partial_update": f"Change {_with_article(noun)}",
                "destroy": f"Delete {_with_article(noun)}",
            }
            if action in standard:
                return standard[action]
            method_doc = _first_sentence(get_doc(getattr(self.view, action, None)))
            detail = self.path.rstrip("/").rsplit("/", 2)[-2] == "{id}"
            noun = _with_article(noun) if detail else str(model._meta.verbose_name_plural)
            return method_doc or f"{_words(action).capitalize()}: {noun}"
        return (
            _first_sentence(self.get_description())
            or _words(" ".join(self._segments())).capitalize()
        )

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is not None:
            self._document_errors(operation)
        return operation

    def _envelope(self, code: str) -> dict:
        serializer = ValidationErrorSerializer if code == "400" else ErrorSerializer
        component = self.resolve_serializer(serializer, "response")
        return {"application/json": {"schema": component.ref}}

    def _document_errors(self, operation: dict) -> None:
        responses = operation.setdefault("responses", {})
        codes = set(ALWAYS_DOCUMENTED)
        codes |= {code for code in responses if code >= "400"}
        if "requestBody" in operation:
            codes.add("415")
        for code in sorted(codes):
            envelope = self._envelope(code)
            response = responses.get(code)
            if response is None:
                responses[code] = {
                    "description": ERROR_DESCRIPTIONS.get(code, ""),
                    "content": envelope,
                }
            elif "content" not in response:
                response["content"] = envelope
            else:  # a view's own error body (an import report): it or the envelope
                for media in response["content"].values():
                    if media.get("schema") != envelope["application/json"]["schema"]:
                        media["schema"] = {
                            "oneOf": [media["schema"], envelope["application/json"]["schema"]]
                        }


class WriteSubsetChoiceFieldExtension(OpenApiSerializerFieldExtension):
    """A field that takes some choices but answers any of its read choices: the request
    schema lists what may be sent, the response schema every value the server returns."""

    target_class = WriteSubsetChoiceField

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        choices = field.read_choices if direction == "response" else field.choices
        return build_choice_field(serializers.ChoiceField(choices=choices))


# --- postprocessing hooks (after drf-spectacular's own enum hook) -----------------------------
def _walk_properties(schema, visit, name=None):
    """Call visit(name, schema) for every (nested) property schema."""
    if not isinstance(schema, dict):
        return
    visit(name, schema)
    for prop, sub in (schema.get("properties") or {}).items():
        _walk_properties(sub, visit, prop)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            _walk_properties(schema[key], visit, name if key == "items" else None)
    for key in ("oneOf", "anyOf", "allOf"):
        for sub in schema.get(key) or ():
            _walk_properties(sub, visit, name)


def _period_pattern(kinds) -> str:
    return "|".join(PERIOD_PATTERNS[kind] for kind in kinds)


def _set_period_pattern(schema: dict, kinds) -> None:
    if schema.get("type") == "string" and not {"enum", "format", "pattern"} & set(schema):
        schema["pattern"] = _period_pattern(kinds)


def _blank_or_format(schema: dict) -> None:
    """`oneOf: [{format: email}, {maxLength: 0}]` (a blank-allowed formatted field) matches
    both branches for a generator: one string whose description says it may be empty."""
    branches = schema.get("oneOf")
    if not branches or len(branches) != 2:
        return
    blank = [b for b in branches if b == {"type": "string", "maxLength": 0}]
    formatted = [b for b in branches if b.get("type") == "string" and "format" in b]
    if len(blank) != 1 or len(formatted) != 1:
        return
    del schema["oneOf"]
    schema.update({k: v for k, v in formatted[0].items() if k != "format"})
    hint = f"{_with_article(formatted[0]['format']).capitalize()} address, or empty."
    schema["description"] = f"{schema['description']} {hint}" if schema.get("description") else hint


NULL_ENUM_REF = {"$ref": "#/components/schemas/NullEnum"}


def _nullable_not_null_enum(schema: dict) -> None:
    """drf-spectacular writes a nullable choice as `oneOf: [XEnum, NullEnum]` with
    `NullEnum = {enum: [null]}`, which generators turn into an empty class: XEnum, nullable."""
    branches = schema.get("oneOf")
    if not branches or NULL_ENUM_REF not in branches:
        return
    rest = [branch for branch in branches if branch != NULL_ENUM_REF]
    schema["nullable"] = True
    if len(rest) == 1:
        del schema["oneOf"]
        schema["allOf"] = rest
    else:
        schema["oneOf"] = rest


def postprocess_contract(result, generator, request, public):
    """The parts of the contract no single view states (see the module docstring)."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    enums = {}  # sorted values -> the enum components with exactly those values
    for name, schema in sorted(components.items()):
        if "enum" in schema and None not in schema["enum"]:
            enums.setdefault(tuple(sorted(map(str, schema["enum"]))), []).append(name)
    for path, operations in result.get("paths", {}).items():
        kinds = PERIOD_KINDS.get(path, ANY_PERIOD)
        for operation in operations.values():
            for parameter in operation.get("parameters", ()):
                schema = parameter.get("schema", {})
                schema.pop("title", None)
                values = tuple(sorted(map(str, schema.get("enum", ()))))
                if values and values in enums:
                    name = _enum_for(parameter["name"], enums[values])
                    parameter["schema"] = {"$ref": f"#/components/schemas/{name}"}
                if parameter["name"] == "period":
                    _set_period_pattern(parameter["schema"], kinds)
            # A body's component takes the kinds of the first path that sends it.
            for media in (operation.get("requestBody") or {}).get("content", {}).values():
                body = media.get("schema", {})
                if "$ref" in body:
                    body = components.get(body["$ref"].rsplit("/", 1)[-1], {})
                _walk_properties(body, _period_visitor(kinds))
    for schema in components.values():
        _walk_properties(schema, _period_visitor(ANY_PERIOD))
        _walk_properties(schema, lambda _name, sub: _blank_or_format(sub))
        _walk_properties(schema, lambda _name, sub: _nullable_not_null_enum(sub))
    components.pop("NullEnum", None)
    result["tags"] = [{"name": tag, "description": doc} for tag, (doc, _s) in AREAS.items()]
    return result


def _enum_for(parameter: str, names: list[str]) -> str:
    """The enum component for a filter: the one named after it (fee_mode: FeeModeEnum, not
    CommissionModeEnum of the same values), else the first by name."""
    wanted = parameter.replace("_", "").lower()
    named = [name for name in names if wanted in name.lower()]
    return (named or names)[0]


def _period_visitor(kinds):
    def visit(name, schema):
        if name == "period":
            _set_period_pattern(schema, kinds)
        elif name in MONTH_FIELDS:
            _set_period_pattern(schema, ("month",))

    return visit
