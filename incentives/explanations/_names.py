"""The names a page's explanations mention, loaded in one query per model."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from sales.models import Signing, Staff, Team


def _ref(source: str) -> tuple[str, str]:
    """``signing:18`` → ``("signing", "18")``."""
    kind, _sep, value = source.partition(":")
    return kind, value


def _id(value) -> int | None:
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.isdigit() else None


@dataclass
class Names:
    """Names by id: signings (unit, customer), teams (name, project), staff and users."""

    signings: dict[int, tuple[str, str]] = field(default_factory=dict)
    teams: dict[int, tuple[str, str]] = field(default_factory=dict)
    staff_names: dict[int, str] = field(default_factory=dict)
    users: dict[int, str] = field(default_factory=dict)

    def team(self, team_id) -> str:
        found = self.teams.get(_id(team_id))
        return found[0] if found else f"#{team_id}"

    def staff(self, staff_id) -> str:
        return self.staff_names.get(_id(staff_id)) or f"#{staff_id}"


def names_for(lines: Iterable) -> Names:
    """Every name the lines' explanations and sources mention: one query per model."""
    wanted: dict[str, set[int]] = {"signing": set(), "team": set(), "staff": set(), "user": set()}
    for line in lines:
        kind, value = _ref(line.source or "")
        if kind in wanted and (pk := _id(value)) is not None:
            wanted[kind].add(pk)
        if getattr(line, "signing_id", None):
            wanted["signing"].add(line.signing_id)
        facts = line.facts or {}
        for key in ("team", "staff"):
            if (pk := _id(facts.get(key))) is not None:
                wanted[key].add(pk)
    names = Names()
    if wanted["signing"]:
        names.signings = {
            pk: (unit, customer)
            for pk, unit, customer in Signing.objects.filter(pk__in=wanted["signing"]).values_list(
                "pk", "unit", "customer_name"
            )
        }
    if wanted["team"]:
        names.teams = {
            pk: (name, project or "")
            for pk, name, project in Team.objects.filter(pk__in=wanted["team"]).values_list(
                "pk", "name", "project__name"
            )
        }
    if wanted["staff"]:
        names.staff_names = dict(
            Staff.objects.filter(pk__in=wanted["staff"]).values_list("pk", "name")
        )
    if wanted["user"]:  # a user by their staff name, else their login
        names.users = {
            pk: staff or " ".join(part for part in (first, last) if part) or username
            for pk, username, first, last, staff in get_user_model()
            .objects.filter(pk__in=wanted["user"])
            .values_list("pk", "username", "first_name", "last_name", "staff__name")
        }
    return names
