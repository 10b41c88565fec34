"""Home (/): the signed-in landing page, a tile per task of the user's role."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from common.access import can
from partners.selectors import partner_for_user
from sales.selectors import staff_for_user


@login_required
def home(request):
    """The signed-in home page: a tile per task of the user's role; partners go to their
    portal, marketers to their day (报备 first)."""
    if partner_for_user(request.user) is not None:
        return redirect("portal:dashboard")
    if can(request.user, "use_marketer_pages"):
        return redirect("marketer:home")
    return render(request, "portal/home.html", {"staff": staff_for_user(request.user)})
