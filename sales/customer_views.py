"""Customer pages of the office (/sales/customers/): search, one customer's owner, protection
and timeline, and a manager's attribution override and protection extension.

Thin adapters over the customer selectors and the audited services. Full phones shown to the
office are written to the audit log, as the API does.
"""

from urllib.parse import urlencode

import django_tables2 as tables
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from common.access import can, capability_required
from common.forms import add_service_errors
from common.lists import EXPORT_LIMIT, ListPage, Table
from common.periods import local_today
from sales.customer_forms import (
    OVERRIDE_ERROR_FIELDS,
    AttributionOverrideForm,
    ProtectionExtendForm,
)
from sales.filters import CustomerPageFilter
from sales.models import Customer
from sales.selectors.activity import registration_list
from sales.selectors.customer_list import (
    OWNER_TYPES,
    customer_get,
    customer_list,
    customer_owner,
    customer_protection,
    owner_type_of,
)
from sales.selectors.customers import OFFICE_KEY, phone_as_stored
from sales.selectors.timeline import customer_timeline
from sales.services.overrides import customer_attribution_override
from sales.services.phone_audit import customer_phones_audit
from sales.services.protection import registration_protection_extend

OWNER_LABELS = dict(OWNER_TYPES)

# Where each timeline event's record opens, always a portal page: a visit on its page, a deal
# on the page of the customer's latest visit (which lists the deals with their actions)
# anchored to it, a mortgage on its edit page — for the office, who may open those — else the
# event itself on the customer's page (registrations, extensions, overrides, and everything
# for a supervisor).
DEAL_ANCHORS = {
    "subscription": lambda event: f"subscription-{event.record.pk}",
    "signing": lambda event: f"signing-{event.record.pk}",
    "cancellation": lambda event: f"signing-{event.record.pk}",
    "payment": lambda event: f"signing-{event.record.signing_id}",
}
MORTGAGE_KINDS = ("mortgage", "mortgage_disbursed")
APPEAL_KINDS = ("appeal", "appeal_decided")


def event_anchor(event) -> str:
    """The id of an event's entry on the customer page (templates/sales/customers/_event.html)."""
    return f"{event.kind}-{event.record.pk}"


def owner_label(customer: Customer) -> str:
    """Who holds the customer now, in words: a marketer's or partner's name (the registrant's
    while its registration protection runs), the sales office, or nobody yet."""
    owner = customer_owner(customer, today=local_today())
    if owner is None:
        return _("Nobody yet")
    return owner.name or str(OWNER_LABELS[owner.kind])


class CustomerTable(Table):
    name = tables.Column(verbose_name=gettext_lazy("Customer"), linkify=False)
    phone = tables.Column(verbose_name=gettext_lazy("Mobile"), orderable=False)
    project = tables.Column(verbose_name=gettext_lazy("Project"), accessor="project__name")
    status = tables.Column(verbose_name=gettext_lazy("Status"))
    owner = tables.Column(verbose_name=gettext_lazy("Owner"), empty_values=(), orderable=False)
    protection = tables.Column(
        verbose_name=gettext_lazy("Protected until"), empty_values=(), orderable=False
    )
    created_at = tables.DateColumn(verbose_name=gettext_lazy("Since"), format="Y-m-d")

    class Meta(Table.Meta):
        model = Customer
        fields = ("name", "phone", "project", "status", "owner", "protection", "created_at")
        order_by = ("-created_at",)
        row_attrs = {"data-testid": "customer-row", "data-customer": lambda record: record.pk}

    def render_name(self, record):
        url = reverse("sales:customer-detail", args=[record.pk])
        return format_html('<a href="{}" data-testid="customer-link">{}</a>', url, record.name)

    def value_name(self, record):
        return record.name

    def render_phone(self, record):
        return phone_as_stored(full=record.phone, key=record.phone_key)

    def value_phone(self, record):
        return self.render_phone(record)

    def render_owner(self, record):
        return owner_label(record)

    def value_owner(self, record):
        return owner_label(record)

    def render_protection(self, record):
        protection = customer_protection(record, today=local_today())
        if protection is None:
            return "—"
        return f"{protection.until:%Y-%m-%d} · {protection.label}"

    def value_protection(self, record):
        protection = customer_protection(record, today=local_today())
        return protection.until.isoformat() if protection else ""


@capability_required("browse_customers")
@require_GET
def customer_list_page(request):
    """Customers the user may see, searched by phone (full or 前三后四), name or pinyin
    initials, by project, status and owner; xlsx of what the filter shows."""
    listing = ListPage(
        request,
        queryset=customer_list(user=request.user),
        filterset_class=CustomerPageFilter,
        table_class=CustomerTable,
        export_name="customers",
        export_title=_("Customers"),
    )
    if listing.export_requested:
        ids = listing.rows.filter(phone__gt="").values_list("pk", flat=True)[:EXPORT_LIMIT]
        customer_phones_audit(actor=request.user, customer_ids=ids, via="customers xlsx")
        return listing.export()
    shown = [row.record for row in listing.table.paginated_rows]
    customer_phones_audit(
        actor=request.user,
        customer_ids=(customer.pk for customer in shown if customer.phone),
        via="customer list page",
    )
    return render(request, "sales/customers/list.html", {"listing": listing})


def _detail_context(request, customer: Customer, **forms) -> dict:
    today = local_today()
    protection = customer_protection(customer, today=today)
    events = customer_timeline(customer=customer, user=request.user)
    timeline = _with_record_urls(events, customer=customer, user=request.user)
    context = {
        "customer": customer,
        "owner_label": owner_label(customer),
        "owner_type": owner_type_of(customer),
        "protection": protection,
        "protection_is_office": protection is not None and protection.holder == OFFICE_KEY,
        "timeline": timeline,
        "today": today,
        "deal_query": urlencode(
            {"customer": customer.pk, "next": reverse("sales:customer-detail", args=[customer.pk])}
        ),
    }
    if can(request.user, "override_attribution"):
        context["override_form"] = forms.get("override_form") or AttributionOverrideForm(
            user=request.user
        )
    if can(request.user, "extend_protection"):
        extendable = _extendable_registration(customer, today=today)
        context["extendable"] = extendable
        context["extendable_holder"] = (
            (extendable.marketer or extendable.partner).name if extendable else ""
        )
        context["extend_form"] = forms.get("extend_form") or ProtectionExtendForm()
    return context


def _with_record_urls(events, *, customer: Customer, user) -> list[dict]:
    """Each event with the portal page its record opens on (see DEAL_ANCHORS)."""
    here = reverse("sales:customer-detail", args=[customer.pk])
    office = can(user, "log_visits")
    deals = office and can(user, "record_deals")
    appeals = can(user, "review_appeals")
    visits = [event.record.pk for event in events if event.kind == "visit"]
    deal_page = reverse("sales:visit-detail", args=[visits[-1]]) if deals and visits else ""
    items = []
    for event in events:
        anchor = event_anchor(event)
        if event.kind == "visit" and office:
            url = reverse("sales:visit-detail", args=[event.record.pk])
        elif event.kind in MORTGAGE_KINDS and deals:
            url = reverse("sales:mortgage-edit", args=[event.record.pk])
            url += "?" + urlencode({"next": here})
        elif event.kind in APPEAL_KINDS and appeals:
            url = reverse("sales:appeal-detail", args=[event.record.pk])
        elif event.kind in DEAL_ANCHORS and deal_page:
            url = f"{deal_page}#{DEAL_ANCHORS[event.kind](event)}"
        else:
            url = f"{here}#{anchor}"
        items.append({"event": event, "url": url, "anchor": anchor})
    return items


def _extendable_registration(customer: Customer, *, today):
    """The customer's running registration protection a manager may extend (not yet
    extended), or None."""
    return (
        customer.registrations.filter(
            status="active", protected_until__gte=today, extension__isnull=True
        )
        .select_related("marketer", "partner")
        .order_by("-registered_at")
        .first()
    )


def _customer_or_404(request, pk: int) -> Customer:
    customer = customer_get(user=request.user, pk=pk)
    if customer is None:
        raise Http404
    return customer


@capability_required("browse_customers")
@require_GET
def customer_detail(request, pk: int):
    """One customer: owner, the protection that applies, every event in order with a link to
    its record; for a manager, the override and the extension."""
    customer = _customer_or_404(request, pk)
    if customer.phone:
        customer_phones_audit(actor=request.user, customer_ids=[customer.pk], via="customer page")
    return render(request, "sales/customers/detail.html", _detail_context(request, customer))


@capability_required("override_attribution")
@require_POST
def customer_override(request, pk: int):
    """A manager attributes the customer elsewhere, through the audited override service."""
    customer = _customer_or_404(request, pk)
    form = AttributionOverrideForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            customer_attribution_override(
                actor=request.user,
                customer=customer,
                reason=data["reason"],
                locked_until=data["locked_until"],
                **data["owner"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, OVERRIDE_ERROR_FIELDS)
        else:
            messages.success(request, _("The attribution was changed and recorded."))
            return redirect("sales:customer-detail", pk=customer.pk)
    context = _detail_context(request, customer, override_form=form)
    return render(request, "sales/customers/detail.html", context, status=400)


@capability_required("extend_protection")
@require_POST
def registration_extend(request, pk: int):
    """A manager extends one registration's protection once, through the audited service."""
    registration = registration_list(user=request.user).filter(pk=pk).first()
    if registration is None:
        raise Http404
    customer = _customer_or_404(request, registration.customer_id)
    form = ProtectionExtendForm(request.POST)
    if form.is_valid():
        try:
            extension = registration_protection_extend(
                actor=request.user,
                registration=registration,
                days=form.cleaned_data["days"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Protection extended until %(until)s.")
                % {"until": extension.protected_until_after.isoformat()},
            )
            return redirect("sales:customer-detail", pk=customer.pk)
    context = _detail_context(request, customer, extend_form=form)
    return render(request, "sales/customers/detail.html", context, status=400)
