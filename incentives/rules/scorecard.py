"""渠道绩效评估: a partner's scorecard for a month or quarter, and why it needs review
(剔除低效和不合规渠道)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

__all__ = ["REVIEW_RULES", "Scorecard", "review_reasons"]

# Below these a partner is flagged for review; a manager decides what happens next.
REVIEW_RULES = {
    "min_attainment": Decimal("0.5"),  # under half of the signing target
    "min_conversion": Decimal("0.05"),  # under 5% of valid visits signed (with ≥ 20 visits)
    "min_training_rate": Decimal("0.5"),  # attended under half of the invited sessions
}


@dataclass(frozen=True)
class Scorecard:
    partner_id: int
    period: str
    registrations: int
    valid_visits: int
    signings: int
    signed_amount: Decimal
    target_amount: Decimal | None
    trainings_invited: int
    trainings_attended: int
    credit_rating: str = ""
    review: tuple[str, ...] = field(default=())

    @property
    def conversion(self) -> Decimal | None:
        """Signings per valid visit."""
        if not self.valid_visits:
            return None
        return (Decimal(self.signings) / self.valid_visits).quantize(Decimal("0.0001"))

    @property
    def attainment(self) -> Decimal | None:
        if not self.target_amount:
            return None
        return (self.signed_amount / self.target_amount).quantize(Decimal("0.0001"))

    @property
    def training_rate(self) -> Decimal | None:
        if not self.trainings_invited:
            return None
        return (Decimal(self.trainings_attended) / self.trainings_invited).quantize(
            Decimal("0.0001")
        )


def review_reasons(card: Scorecard) -> tuple[str, ...]:
    """Why a partner should be reviewed for removal or coaching (empty when fine), in the
    active language."""
    reasons = []
    if card.registrations == 0 and card.valid_visits == 0 and card.signings == 0:
        reasons.append(_("no activity in the period"))
    elif card.signings == 0:
        reasons.append(_("no signing in the period"))
    if card.attainment is not None and card.attainment < REVIEW_RULES["min_attainment"]:
        reasons.append(
            _("signing target %(attainment)s attained (under %(minimum)s)")
            % {
                "attainment": f"{card.attainment:.0%}",
                "minimum": f"{REVIEW_RULES['min_attainment']:.0%}",
            }
        )
    if (
        card.signings  # a partner with no signing at all is flagged above
        and card.valid_visits >= 20
        and card.conversion < REVIEW_RULES["min_conversion"]
    ):
        reasons.append(
            _("conversion %(conversion)s of %(visits)s valid visits")
            % {"conversion": f"{card.conversion:.1%}", "visits": card.valid_visits}
        )
    if card.training_rate is not None and card.training_rate < REVIEW_RULES["min_training_rate"]:
        reasons.append(
            _("attended %(attended)s of %(invited)s trainings")
            % {"attended": card.trainings_attended, "invited": card.trainings_invited}
        )
    if card.credit_rating == "D":
        reasons.append(_("credit rating %(rating)s") % {"rating": card.credit_rating})
    return tuple(reasons)
