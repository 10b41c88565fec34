"""The inbox pages: the list (every signed-in role, phone first), mark one or all read, and
the e-mail preference. Only the user's own notifications exist here: another's id is a 404."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.access import capability_required
from common.lists import ListPage
from common.notifications import selectors, services
from common.notifications.kinds import notification_text, notification_title
from common.notifications.lists import NotificationFilter, NotificationTable


@capability_required("use_inbox")
@require_GET
def notification_list(request):
    """My notifications, newest first; unread ones marked, each opens its page."""
    listing = ListPage(
        request,
        queryset=selectors.notification_list(user=request.user),
        filterset_class=NotificationFilter,
        table_class=NotificationTable,
        export_name="notifications",
        export_title=_("Notifications"),
    )
    if listing.export_requested:
        return listing.export()
    return render(request, "common/notification_list.html", {"listing": listing})


@capability_required("use_inbox")
@require_GET
def notification_detail(request, pk: int):
    """One of my notifications, read in my language."""
    notification = get_object_or_404(selectors.notification_list(user=request.user), pk=pk)
    context = {
        "notification": notification,
        "title": notification_title(notification.kind),
        "text": notification_text(notification.kind, notification.facts),
    }
    return render(request, "common/notification_detail.html", context)


def _safe_link(request, link: str) -> str | None:
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return link
    return None


@capability_required("use_inbox")
@require_POST
def notification_read(request, pk: int):
    """Mark one of my notifications read; with `open`, go on to the page it tells of."""
    notification = get_object_or_404(selectors.notification_list(user=request.user), pk=pk)
    services.notification_mark_read(notification=notification)
    link = _safe_link(request, notification.link)
    if request.POST.get("open") and link:
        return redirect(link)
    return redirect("notifications:list")


@capability_required("use_inbox")
@require_POST
def notifications_read_all(request):
    """Mark every unread notification of mine read."""
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(request, _("%(count)d notification(s) marked read.") % {"count": count})
    return redirect("notifications:list")


class PreferenceForm(forms.Form):
    email_enabled = forms.BooleanField(
        label=_("Also send me each notification by e-mail"), required=False
    )


@capability_required("use_inbox")
@require_http_methods(["GET", "POST"])
def notification_preferences(request):
    """Whether my notifications also come by e-mail (in the language I read this page in)."""
    preference = selectors.notification_preference_of(user=request.user)
    data = request.POST if request.method == "POST" else None  # an unticked box posts nothing
    form = PreferenceForm(data, initial={"email_enabled": preference.email_enabled})
    if request.method == "POST" and form.is_valid():
        services.notification_preference_set(
            user=request.user,
            email_enabled=form.cleaned_data["email_enabled"],
            language=get_language() or "",
        )
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    context = {"form": form, "has_email": bool(request.user.email)}
    return render(request, "common/notification_preferences.html", context)
