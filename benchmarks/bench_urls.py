"""The project's URLs plus the framework floor for benchmarks/api_load.py.

`bench/bare-visits/` answers the same first page of visits as GET /api/v1/visits/ (the same
count and 50 rows, same fields) from a plain Django view: no DRF, no auth, no serializer. Only
the benchmark's gunicorn (benchmarks/bench_wsgi.py) mounts it; the product never does.
"""

from django.http import JsonResponse
from django.urls import path

from channelhub.urls import urlpatterns as project_urlpatterns
from sales.models import Visit

FIELDS = (
    "id",
    "project_id",
    "marketer_id",
    "partner_id",
    "customer_name",
    "customer_phone",
    "visited_at",
    "property_type",
    "consultant_id",
    "status",
    "is_valid",
)


def bare_visits(request):
    visits = Visit.objects.order_by("-visited_at", "-id")
    rows = list(visits.values(*FIELDS)[:50])
    return JsonResponse({"count": visits.count(), "results": rows})


urlpatterns = [*project_urlpatterns, path("bench/bare-visits/", bare_visits)]
