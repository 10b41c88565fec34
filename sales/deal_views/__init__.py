"""The office's deal pages, phone first: 认购, 签约, 退房, 回款 and 按揭 (incl. moving a mortgage
along). Thin adapters over `sales.services.deals`, the services the API calls.

Each page starts from what it belongs to: ``?visit=<id>`` (a visit's row links here) or
``?customer=<id>`` (the customer page does) prefill project, customer and credited channel;
``?signing=<id>`` names the signing of a 回款/按揭. After saving it goes back — to ``?next=``
when that is one of our pages, else to the visit, else to the customer's visits — with a
message saying what was stored."""

from sales.deal_views.payments import mortgage_add, mortgage_edit, payment_add
from sales.deal_views.units import signing_add, signing_cancel_view, subscription_add

__all__ = [
    "mortgage_add",
    "mortgage_edit",
    "payment_add",
    "signing_add",
    "signing_cancel_view",
    "subscription_add",
]
