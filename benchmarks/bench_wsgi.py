"""gunicorn entry point for the load benchmark: the real project with benchmarks/bench_urls."""

import os

import django
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "channelhub.settings")
django.setup()
settings.ROOT_URLCONF = "benchmarks.bench_urls"

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
