"""Polish legal identifiers, checked by their checksums (python-stdnum does the arithmetic)."""

from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.pl import nip as stdnum_nip
from stdnum.pl import regon as stdnum_regon

ASCII_DIGITS = frozenset("0123456789")


def _digits(value: str) -> str:
    # ASCII digits only: str.isdigit() also takes Arabic-Indic or full-width digits.
    return "".join(ch for ch in str(value) if ch in ASCII_DIGITS)


def normalise_nip(value: str) -> str:
    return _digits(value)


def validate_nip(value: str) -> None:
    digits = _digits(value)
    if len(digits) != 10:
        raise ValidationError(_("A NIP has 10 digits."), code="nip_length")
    if not stdnum_nip.is_valid(digits):
        raise ValidationError(
            _("This NIP is not valid: its check digit does not match."), code="nip_checksum"
        )


def validate_regon(value: str) -> None:
    digits = _digits(value)
    if len(digits) not in (9, 14):
        raise ValidationError(_("A REGON has 9 or 14 digits."), code="regon_length")
    if not stdnum_regon.is_valid(digits):
        raise ValidationError(
            _("This REGON is not valid: its check digit does not match."), code="regon_checksum"
        )


def validate_krs(value: str) -> None:
    # The KRS number carries no check digit: ten digits is all the registry promises.
    digits = _digits(value)
    if len(digits) != 10 or digits != str(value).strip():
        raise ValidationError(_("A KRS number has exactly 10 digits."), code="krs_format")


def normalise_email(email: str) -> str:
    """An address as the portal compares it: trimmed, lower case."""
    return BaseUserManager.normalize_email(email.strip()).lower()
