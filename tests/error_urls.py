"""The project's URLs plus views that fail on purpose, for the error page tests."""

from django.core.exceptions import SuspiciousOperation
from django.urls import path

from channelhub.urls import urlpatterns as project_urlpatterns


def boom(request):
    raise RuntimeError("a bug")


def suspicious(request):
    raise SuspiciousOperation("a tampered request")


urlpatterns = [
    *project_urlpatterns,
    path("test-errors/boom/", boom),
    path("test-errors/suspicious/", suspicious),
]
