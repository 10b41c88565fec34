"""Writes for partners. Each service owns its transaction and raises ValidationError with
field names, which the API turns into a field-level 400."""

from partners.services.contracts import (
    contract_activate,
    contract_create,
    contract_delete,
    contract_expire_due,
    contract_expiry_reminders_run,
    contract_reminders_send,
    contract_renew,
    contract_terminate,
    contract_update,
)
from partners.services.notices import partner_robot_set
from partners.services.partners import (
    PARTNER_FIELDS,
    partner_check_status_change,
    partner_create,
    partner_delete,
    partner_member_create,
    partner_update,
)
from partners.services.recruitment import (
    INVITE_PROBLEM_MESSAGES,
    application_approve,
    application_reject,
    application_screen,
    application_submit,
    invite_problem,
    partner_invite_accept,
    partner_invite_create,
    screening_result,
)
from partners.services.training import (
    training_attendance_record,
    training_invite,
    training_session_create,
    training_session_update,
)

__all__ = [
    "INVITE_PROBLEM_MESSAGES",
    "PARTNER_FIELDS",
    "application_approve",
    "application_reject",
    "application_screen",
    "application_submit",
    "contract_activate",
    "contract_create",
    "contract_delete",
    "contract_expire_due",
    "contract_expiry_reminders_run",
    "contract_reminders_send",
    "contract_renew",
    "contract_terminate",
    "contract_update",
    "invite_problem",
    "partner_check_status_change",
    "partner_create",
    "partner_delete",
    "partner_invite_accept",
    "partner_invite_create",
    "partner_member_create",
    "partner_robot_set",
    "partner_update",
    "screening_result",
    "training_attendance_record",
    "training_invite",
    "training_session_create",
    "training_session_update",
]
