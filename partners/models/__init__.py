from partners.models.contracts import ContractReminder, PartnerContract
from partners.models.partner import Partner, PartnerMember
from partners.models.recruitment import PartnerApplication, PartnerInvite, RecruitmentCriteria
from partners.models.training import TrainingAttendance, TrainingSession

__all__ = [
    "ContractReminder",
    "Partner",
    "PartnerApplication",
    "PartnerContract",
    "PartnerInvite",
    "PartnerMember",
    "RecruitmentCriteria",
    "TrainingAttendance",
    "TrainingSession",
]
