"""Routes of the office's deal pages, the visit history and a consultant's visits; included in
`sales.urls` (namespace ``sales``). Other pages link to these names: ``sales:subscription-add``,
``sales:signing-add``, ``sales:signing-cancel`` (pk), ``sales:payment-add``,
``sales:mortgage-add``, ``sales:mortgage-edit`` (pk), each taking ``?visit=`` / ``?customer=``."""

from django.urls import path

from sales import deal_views, visit_views

urlpatterns = [
    path("visits/history/", visit_views.visit_history, name="visit-history"),
    path(
        "visits/history/confirm/",
        visit_views.visit_history_confirm,
        name="visit-history-confirm",
    ),
    path("visits/<int:pk>/", visit_views.visit_detail, name="visit-detail"),
    path("visits/mine/", visit_views.my_assigned_visits, name="my-assigned-visits"),
    path("deals/subscriptions/new/", deal_views.subscription_add, name="subscription-add"),
    path("deals/signings/new/", deal_views.signing_add, name="signing-add"),
    path("deals/signings/<int:pk>/cancel/", deal_views.signing_cancel_view, name="signing-cancel"),
    path("deals/payments/new/", deal_views.payment_add, name="payment-add"),
    path("deals/mortgages/new/", deal_views.mortgage_add, name="mortgage-add"),
    path("deals/mortgages/<int:pk>/", deal_views.mortgage_edit, name="mortgage-edit"),
]
