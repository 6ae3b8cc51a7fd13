"""What every area of the demo data shares: the rows written so far, and the checks."""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import models

from competence_centres.models import CompetenceCentre
from members.models import Organisation, User

WARSAW = ZoneInfo("Europe/Warsaw")


@dataclass
class Demo:
    """The rows written so far, for later areas to refer to, and what to print at the end."""

    now: datetime
    centres: dict[str, CompetenceCentre]
    file_name: str = ""
    users: dict[str, User] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    organisation_admins: dict[str, User] = field(default_factory=dict)
    logins: list[tuple[str, str]] = field(default_factory=list)
    # Funding calls by slug (projects.py), for the proposals that answer them.
    calls: dict = field(default_factory=dict)
    password: str = ""

    @property
    def today(self) -> date:
        return self.now.astimezone(WARSAW).date()

    def user(self, email: str) -> User:
        return self._find(self.users, email, f"no {email!r} in people.toml")

    def organisation(self, name: str) -> Organisation:
        return self._find(self.organisations, name, f"no {name!r} in organisations.toml")

    def organisation_admin(self, name: str) -> User:
        return self._find(self.organisation_admins, name, f"nobody in people.toml admins {name!r}")

    def centre(self, slug: str) -> CompetenceCentre:
        return self._find(self.centres, slug, f"no competence centre {slug!r} (run migrate?)")

    def fail(self, message: str) -> CommandError:
        return CommandError(f"{self.file_name}: {message}")

    def check_keys(self, row: dict, known: set[str]) -> None:
        if unknown := sorted(set(row) - known):
            raise self.fail(f"unknown key {', '.join(unknown)}")

    def _find(self, rows: dict, key: str, missing: str):
        try:
            return rows[key]
        except KeyError:
            raise self.fail(missing) from None

    def upsert(self, model: type[models.Model], lookup: dict, fields: dict) -> models.Model:
        """Write the row found by `lookup` as `fields` describe it, checked as the admin would.

        Fields the data leaves out go back to their defaults, so a re-run undoes demo edits.
        """
        editable = [f for f in model._meta.concrete_fields if f.editable and not f.primary_key]
        self.check_keys(fields, {model_field.name for model_field in editable})
        defaults = {f.name: f.get_default() for f in editable if f.name not in lookup}
        row, _created = model.objects.update_or_create(**lookup, defaults=defaults | fields)
        try:
            row.full_clean()
        except ValidationError as error:
            problems = "; ".join(
                f"{name}: {' '.join(msgs)}" for name, msgs in error.message_dict.items()
            )
            raise self.fail(f"{row}: {problems}") from None
        return row


def at_warsaw(day: date, clock: str) -> datetime:
    return datetime.combine(day, time.fromisoformat(clock), tzinfo=WARSAW)
