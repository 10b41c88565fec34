"""The one page that sets a team's or a partner's group robot, used by both apps' views."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from common.forms import RobotWebhookForm, add_service_errors
from common.webhooks import robot_url_masked


def robot_page(request, *, owner, save, back_url: str, owner_label: str):
    """GET: the form (the stored URL masked, never in the field); POST: `save(kind=, url=)`
    (the owner's service), then back to `back_url`; the service's errors on their fields."""
    form = RobotWebhookForm(
        request.POST if request.method == "POST" else None,
        initial={"robot_kind": owner.robot_kind},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                save(kind=form.cleaned_data["robot_kind"], url=form.cleaned_data["robot_url"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("The group robot of %(name)s is saved.") % {"name": owner_label}
                )
                return redirect(back_url)
        status = 400
    context = {
        "form": form,
        "owner_label": owner_label,
        "masked": robot_url_masked(owner.robot_url),
        "back_url": back_url,
    }
    return render(request, "common/robot_form.html", context, status=status)
