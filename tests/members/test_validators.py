import pytest
from django.core.exceptions import ValidationError

from members.validators import validate_krs, validate_nip, validate_regon


@pytest.mark.parametrize("nip", ["5260250274", "526-025-02-74", "7251801126", "1234563218"])
def test_valid_nips_pass(nip):
    validate_nip(nip)


@pytest.mark.parametrize(
    ("nip", "code"),
    [
        ("5260250275", "nip_checksum"),  # last digit off by one
        ("1234567890", "nip_checksum"),
        ("526025027", "nip_length"),
        ("52602502741", "nip_length"),
    ],
)
def test_invalid_nips_are_refused_with_a_reason(nip, code):
    with pytest.raises(ValidationError) as error:
        validate_nip(nip)
    assert error.value.code == code


@pytest.mark.parametrize("regon", ["123456785", "12345678512347"])
def test_valid_regons_pass(regon):
    validate_regon(regon)


@pytest.mark.parametrize(
    ("regon", "code"), [("123456786", "regon_checksum"), ("1234567", "regon_length")]
)
def test_invalid_regons_are_refused(regon, code):
    with pytest.raises(ValidationError) as error:
        validate_regon(regon)
    assert error.value.code == code


def test_krs_is_ten_digits():
    validate_krs("0000123456")
    for bad in ("123456", "00001234567", "00001234a6"):
        with pytest.raises(ValidationError):
            validate_krs(bad)


@pytest.mark.parametrize("value", ["０１２３４５６７８９", "٠١٢٣٤٥٦٧٨٩"])
def test_a_krs_of_other_scripts_digits_is_refused(value):
    with pytest.raises(ValidationError):
        validate_krs(value)
