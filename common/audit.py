"""Reading the audit trail of full phones served (SPEC: every full phone the office reads is
written down), whichever shape an entry has.

Since issue 18 one response that serves full phones writes ONE entry: `object_id` its first
customer, `changes = {"customers": [ids…], "via": "…"}`. Older entries name one customer each
(`object_id`, and `summary` "Full phone served (<via>)."). `phone_view_customer_ids` and
`audit_entry_text` read both; `phone_views_q` finds either kind naming a customer.
"""

import re

from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext

PHONE_VIEWED = "customer.phone_viewed"

# Where a full phone was served (the `via` codes the views write), in words.
VIA_LABELS = {
    "appeals xlsx": _("appeals export (xlsx)"),
    "appeal queue": _("appeal queue"),
    "appeal page": _("appeal page"),
    "customers xlsx": _("customers export (xlsx)"),
    "customer list page": _("customer list page"),
    "customer page": _("customer page"),
}
_OLD_SUMMARY = re.compile(r"^Full phone served \((?P<via>.*)\)\.$")
IDS_SHOWN = 20  # an entry's text lists this many customer ids, then "…"


def phone_view_facts(*, customer_ids: list[int], via: str) -> dict:
    """The `changes` of one entry for the full phones of `customer_ids` served `via`."""
    return {"customers": customer_ids, "via": via}


def phone_view_customer_ids(entry) -> list[int]:
    """The customers whose full phones an entry of PHONE_VIEWED records (either shape)."""
    ids = (entry.changes or {}).get("customers")
    return list(ids) if isinstance(ids, list) else [entry.object_id]


def phone_views_q(customer_id: int) -> Q:
    """Entries of PHONE_VIEWED naming this customer, old (one customer each) or new (a list;
    on SQLite, which cannot search JSON lists, only those whose first customer it is)."""
    named = Q(object_id=customer_id)
    if connection.vendor == "postgresql":
        named |= Q(changes__customers__contains=[customer_id])
    return Q(action=PHONE_VIEWED) & named


def via_text(via: str) -> str:
    if via.startswith("API "):
        return str(_("API: %(resource)s") % {"resource": via.removeprefix("API ")})
    return str(VIA_LABELS.get(via, via))


def audit_entry_text(entry) -> str:
    """What an audit entry records, in the reader's language: a phone view in words (either
    shape), any other entry its summary."""
    if entry.action != PHONE_VIEWED:
        return entry.summary
    facts = entry.changes or {}
    if "customers" in facts:
        via = facts.get("via", "")
    else:
        match = _OLD_SUMMARY.match(entry.summary or "")
        via = match["via"] if match else ""
    ids = phone_view_customer_ids(entry)
    separator = pgettext("between the items of a list", ", ")
    listed = separator.join(f"#{pk}" for pk in ids[:IDS_SHOWN])
    listed += "…" if len(ids) > IDS_SHOWN else ""
    text = ngettext(
        "Full phone of %(count)d customer served (%(via)s): %(ids)s",
        "Full phones of %(count)d customers served (%(via)s): %(ids)s",
        len(ids),
    )
    return text % {"count": len(ids), "via": via_text(via), "ids": listed}
