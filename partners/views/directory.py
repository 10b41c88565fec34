"""The partners list (filter by kind, status, search; sort; export) and one partner's page
with its contracts, trainings, portal logins and invitations."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from common.access import capability_required
from common.forms import add_service_errors
from common.lists import ListPage
from common.robot_pages import robot_page
from partners import selectors, services
from partners.filters import PartnerPageFilter
from partners.forms.directory import PartnerInviteForm
from partners.tables import PartnerTable


@capability_required("manage_partners")
@require_GET
def partner_list(request):
    listing = ListPage(
        request,
        queryset=selectors.partner_list(user=request.user),
        filterset_class=PartnerPageFilter,
        table_class=PartnerTable,
        export_name="partners",
        export_title=_("Partners"),
    )
    if listing.export_requested:
        return listing.export()
    return render(request, "partners/partner_list.html", {"listing": listing, "tab": "partners"})


@capability_required("manage_partners")
@require_http_methods(["GET", "POST"])
def partner_detail(request, pk: int):
    """One partner; its form sends a new portal invitation (partner_invite_create)."""
    partner = get_object_or_404(selectors.partner_list(user=request.user), pk=pk)
    form = PartnerInviteForm(
        request.POST if request.method == "POST" else None, initial={"email": partner.contact_email}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                invite, _token = services.partner_invite_create(
                    actor=request.user, partner=partner, email=form.cleaned_data["email"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Invitation sent to %(email)s, valid until %(until)s.")
                    % {
                        "email": invite.email,
                        "until": f"{timezone.localtime(invite.expires_at):%Y-%m-%d %H:%M}",
                    },
                )
                return redirect("partners:partner-detail", pk=pk)
        status = 400
    context = {
        "tab": "partners",
        "partner": partner,
        "invite_form": form,
        **selectors.partner_overview(user=request.user, partner=partner),
    }
    return render(request, "partners/partner_detail.html", context, status=status)


@capability_required("configure_partner_robots")
@require_http_methods(["GET", "POST"])
def partner_robot(request, pk: int):
    """Set a partner's group robot (企业微信 / 钉钉), shown back masked."""
    partner = get_object_or_404(selectors.partner_list(user=request.user), pk=pk)
    return robot_page(
        request,
        owner=partner,
        save=lambda **robot: services.partner_robot_set(
            actor=request.user, partner=partner, **robot
        ),
        back_url=reverse("partners:partner-detail", args=[partner.pk]),
        owner_label=partner.name,
    )
