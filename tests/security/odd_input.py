"""The API's request bodies and list filters, found from the schema generator and the URLconf,
and the odd values every id, number and text field must refuse with a field-level 400.

Shared by tests/security/test_odd_input.py (PostgreSQL) and the SQLite run it starts in a
subprocess (make run's database), so both walk the same fields with the same values."""

import django_filters
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework import serializers

from common.filters import IdFilter, WholeNumberFilter

BEYOND_64_BITS = 2**64 + 1
# What an id filter or an id in a body is sent, each refused with the field named: beyond 64
# bits (as text and as a JSON number), beyond the signed 64-bit range the columns hold,
# negative beyond it, decimals (never rounded to another object), a boolean (true is 1).
ODD_FILTER_IDS = (str(BEYOND_64_BITS), str(2**63), f"-{BEYOND_64_BITS}", "2.9", "1.5", "2.0")
ODD_BODY_IDS = (BEYOND_64_BITS, str(BEYOND_64_BITS), 2**63, 2.9, 1.5, "2.0", True)
ODD_NUMBERS = (BEYOND_64_BITS, -BEYOND_64_BITS, 2.5)
LONG_TEXT = "长" * 10_000
# Not ours: DRF's login serializer (tests/security/test_lockout.py covers the login).
NOT_OURS = ("AuthTokenSerializer",)


def request_bodies() -> list[tuple[str, str, serializers.BaseSerializer]]:
    """(method, path, serializer) of every documented request body the API reads as JSON."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.settings import spectacular_settings

    generator = SchemaGenerator()
    generator.parse(None, True)  # fills the registry the request serializers are read with
    found = []
    for path, regex, method, view in generator._get_paths_and_endpoints():
        if method not in ("POST", "PUT", "PATCH"):
            continue
        view.request = spectacular_settings.GET_MOCK_REQUEST(method, path, view, None)
        schema = view.schema
        schema.registry, schema.path, schema.path_regex = generator.registry, path, regex
        schema.path_prefix, schema.method = "", method
        body = schema.get_request_serializer()
        if isinstance(body, type):
            body = body()
        if isinstance(body, serializers.BaseSerializer) and type(body).__name__ not in NOT_OURS:
            found.append((method, path, body))
    return found


def writable_fields(serializer, path: tuple = ()):
    """(path, field) of every writable field, nested serializers and list items too: a path
    is the keys down to the field, 0 standing for "an item of this list"."""
    if isinstance(serializer, serializers.ListSerializer):
        serializer = serializer.child
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        here = (*path, name)
        if isinstance(field, serializers.ListSerializer):
            yield from writable_fields(field.child, (*here, 0))
        elif isinstance(field, serializers.BaseSerializer):
            yield from writable_fields(field, here)
        elif isinstance(field, serializers.ListField):
            yield here, field
            yield (*here, 0), field.child
        elif isinstance(field, serializers.ManyRelatedField):
            yield here, field
            yield (*here, 0), field.child_relation
        else:
            yield here, field


def body_of(path: tuple, value):
    """The smallest body that puts `value` at `path`."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    return [body_of(rest, value)] if head == 0 else {head: body_of(rest, value)}


def is_free_text(field) -> bool:
    return isinstance(field, serializers.CharField) and not isinstance(
        field, serializers.ChoiceField | serializers.DateTimeField
    )


def api_routes() -> list[dict]:
    found = []

    def walk(patterns, route: str):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                full = route + str(pattern.pattern)
                if "api/v1/" not in full or "(?P<format>" in full:
                    continue
                found.append({"name": pattern.name, "callback": pattern.callback, "full": full})

    walk(get_resolver().url_patterns, "")
    return found


def id_and_number_filters() -> list[tuple[str, str, str]]:
    """(list url, filter name, kind) of every id and whole-number filter of every API list."""
    found = []
    for route in api_routes():
        view = getattr(route["callback"], "cls", None)
        filterset = filterset_of(view) if view is not None else None
        actions = getattr(route["callback"], "actions", None) or {}
        if filterset is None or route["callback"].initkwargs.get("detail", False):
            continue
        if actions and actions.get("get") != "list":
            continue
        for name, declared in filterset.base_filters.items():
            if isinstance(declared, IdFilter):
                found.append((reverse(route["name"]), name, "id"))
            elif isinstance(declared, WholeNumberFilter):
                found.append((reverse(route["name"]), name, "number"))
    return found


def number_filter_problems(api) -> tuple[list[str], int]:
    """Every id filter given every odd id: a 400 naming the filter. (problems, cases tried)"""
    problems, tried = [], 0
    for url, name, kind in id_and_number_filters():
        values = ODD_FILTER_IDS if kind == "id" else (str(BEYOND_64_BITS), "2.5")
        for value in values:
            tried += 1
            response = api.get(url, {name: value})
            if response.status_code in (403,):
                continue  # the caller may not read this list at all
            errors = _errors(response)
            if response.status_code != 400 or name not in errors:
                problems.append(f"GET {url}?{name}={value}: {response.status_code} {errors}")
    return problems, tried


def _errors(response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body.get("errors", {}) if isinstance(body, dict) else {}


MODEL_CHOICES = (django_filters.ModelChoiceFilter, django_filters.ModelMultipleChoiceFilter)


def filterset_of(view_class):
    """The FilterSet a list view filters with: its filterset_class, or the one the filter
    backend builds from its filterset_fields."""
    from common.filters import FilterBackend

    if getattr(view_class, "filterset_class", None) is not None:
        return view_class.filterset_class
    if not getattr(view_class, "filterset_fields", None):
        return None
    queryset = view_class.queryset if view_class.queryset is not None else None
    if queryset is None:
        queryset = view_class().get_queryset()
    return FilterBackend().get_filterset_class(view_class(), queryset)


def api_filtersets() -> set:
    """The FilterSet classes of every API list."""
    found = set()
    for route in api_routes():
        view = getattr(route["callback"], "cls", None)
        filterset = filterset_of(view) if view is not None else None
        if filterset is not None:
            found.add(filterset)
    return found


def odd_values(field) -> tuple:
    """What a field must refuse, by its kind (empty: a kind this walk does not probe)."""
    from common.serializers import IdField

    if isinstance(field, serializers.RelatedField | IdField):
        return ODD_BODY_IDS
    if isinstance(field, serializers.IntegerField):
        return ODD_NUMBERS
    if isinstance(field, serializers.DecimalField):
        return (10**30, "NaN", "Infinity")
    if isinstance(field, serializers.DateField):
        return ("2026-13-45", "99999-01-01")
    if is_free_text(field):
        return (LONG_TEXT,)
    return ()


def _target(api, path: str) -> int | None:
    """The id of an object a detail route can act on: the first its list shows the caller."""
    response = api.get(path.split("{id}")[0])
    body = response.json() if response.status_code == 200 else {}
    rows = body.get("results", body) if isinstance(body, dict) else body
    return rows[0]["id"] if isinstance(rows, list) and rows else None


def body_problems(api, *, ids_only: bool = False) -> tuple[list[str], int]:
    """Every writable id (and, unless `ids_only`, number, date and text) field of every request
    body, given every odd value for its kind: a 400 naming the field. (problems, cases tried)"""
    from common.serializers import IdField

    problems, tried = [], 0
    for method, path, body in request_bodies():
        url = path
        if "{id}" in path:
            target = _target(api, path)
            if target is None:
                problems.append(f"{method} {path}: no object to aim at")
                continue
            url = path.replace("{id}", str(target))
        for field_path, field in writable_fields(body):
            if ids_only and not isinstance(field, serializers.RelatedField | IdField):
                continue
            for value in odd_values(field):
                tried += 1
                call = getattr(api, method.lower())
                response = call(url, body_of(field_path, value), format="json")
                if response.status_code != 400 or field_path[0] not in _errors(response):
                    where = ".".join(map(str, field_path))
                    problems.append(
                        f"{method} {url} {where}={str(value)[:30]}: {response.status_code} "
                        f"{response.content[:300]!r}"
                    )
    return problems, tried


def row_counts() -> dict[str, int]:
    """How many rows every model of the project holds (nothing written: the same after). The
    audit of full phones served is left out: the walks' reads are audited, as every read is."""
    from django.apps import apps

    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in ("common", "partners", "sales", "incentives", "auth")
        and model._meta.label != "common.AuditEntry"
    }


def world_extras() -> dict:
    """Beside tests.helpers.world_build's: one object of each model a detail route acts on."""
    from decimal import Decimal

    from django.utils import timezone

    from common.periods import local_today, month_of
    from incentives.models import Budget, ChannelCost, Statement, Target
    from partners.choices import ContractStatus
    from partners.models import Partner
    from sales.models import Campaign, Project, Signing, Staff
    from sales.services.appeals import appeal_file
    from sales.services.deals import mortgage_record
    from tests.factories.partners import (
        PartnerApplicationFactory,
        PartnerContractFactory,
        TrainingSessionFactory,
    )
    from tests.helpers import PARTNER_PHONE
    from tests.sales.appeal_world import png

    month = month_of(local_today()).code
    office = Staff.objects.filter(role="secretary").order_by("pk").first().user
    seller = Staff.objects.filter(role="marketer", user__isnull=False).order_by("pk").first()
    appeal = appeal_file(
        actor=seller.user,
        reason="这位客户是我先带来的",
        evidence=[png()],
        project=Project.objects.order_by("pk").first(),
        customer_phone=PARTNER_PHONE,
    )
    signing = Signing.objects.order_by("pk").first()
    mortgage = mortgage_record(
        actor=office,
        signing=signing,
        bank="建设银行",
        amount=Decimal("1000"),
        applied_on=month_of(local_today()).start,
    )
    partner = Partner.objects.order_by("pk").first()
    marketer = Staff.objects.filter(role="marketer").order_by("pk").first()
    today = local_today()
    campaign = Campaign.objects.create(
        name="暖场活动", kind="event", starts_on=today, ends_on=today, budget_amount=Decimal("100")
    )
    campaign.projects.set([Project.objects.order_by("pk").first()])
    return {
        "campaign": campaign,
        "budget": Budget.objects.create(
            project=None, month=month, category="promotion", amount=Decimal("100")
        ),
        "appeal": appeal,
        "mortgage": mortgage,
        "contract": PartnerContractFactory(partner=partner, status=ContractStatus.DRAFT),
        "training": TrainingSessionFactory(),
        "application": PartnerApplicationFactory(),
        "statement": Statement.objects.create(
            staff=marketer,
            period=month,
            status="draft",
            total_amount=Decimal("0"),
            computed_at=timezone.now(),
        ),
        "partner_statement": Statement.objects.create(
            partner=partner,
            period=month,
            status="draft",
            total_amount=Decimal("0"),
            computed_at=timezone.now(),
        ),
        "target": Target.objects.create(
            metric="signing_amount", subject_type="company", period=month, value=Decimal("100")
        ),
        "cost": ChannelCost.objects.create(
            category="promotion", period=month, amount=Decimal("10"), note="x"
        ),
    }
