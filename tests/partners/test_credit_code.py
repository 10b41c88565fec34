"""统一社会信用代码: 18 characters of the GB 32100 set, the last one a checksum."""

import pytest
from django.core.exceptions import ValidationError

from common.roles import Role
from partners.models import Partner
from partners.validators import (
    CREDIT_CODE_CHARSET,
    clean_credit_code,
    credit_code_check_char,
    validate_credit_code,
)

VALID = [
    "91350100M000100Y43",  # the standard's own example
    "91110000600037341L",
    "914403001922038216",
    "91440300708461136T",
]


def _code_of(exc: pytest.ExceptionInfo) -> str:
    return exc.value.error_list[0].code


@pytest.mark.parametrize("code", VALID)
def test_valid_codes_pass(code):
    validate_credit_code(code)
    assert credit_code_check_char(code[:17]) == code[17]


@pytest.mark.parametrize("code", VALID)
def test_every_wrong_check_character_is_refused(code):
    for wrong in CREDIT_CODE_CHARSET:
        if wrong == code[17]:
            continue
        with pytest.raises(ValidationError) as exc:
            validate_credit_code(code[:17] + wrong)
        assert _code_of(exc) == "checksum"


@pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z"])
@pytest.mark.parametrize("position", [2, 10, 17])
def test_letters_outside_the_charset_are_refused(letter, position):
    code = VALID[0][:position] + letter + VALID[0][position + 1 :]
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code)
    assert _code_of(exc) == "charset"


@pytest.mark.parametrize("code", ["", "9135010", VALID[0][:17], VALID[0] + "1", VALID[0] * 2])
def test_wrong_length_is_refused(code):
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code)
    assert _code_of(exc) == "length"


def test_a_transposed_pair_of_digits_is_caught():
    code = VALID[2]
    swapped = code[:8] + code[9] + code[8] + code[10:]
    assert swapped != code
    with pytest.raises(ValidationError):
        validate_credit_code(swapped)


def test_lowercase_and_spaces_are_normalised():
    assert clean_credit_code("  91350100m000100y43 ") == "91350100M000100Y43"
    assert clean_credit_code("") == ""


@pytest.mark.django_db
def test_the_api_stores_the_normalised_code_and_refuses_a_bad_one(client_as):
    client = client_as(Role.MANAGER)
    body = {"name": "渤海地产代理", "kind": "agency"}
    created = client.post(
        "/api/v1/partners/", {**body, "credit_code": " 91350100m000100y43 "}, format="json"
    )
    assert created.status_code == 201, created.content
    assert created.json()["credit_code"] == "91350100M000100Y43"
    for bad in ("91350100M000100Y44", "91350100M0001O0Y43", "9135"):
        response = client.post(
            "/api/v1/partners/", {**body, "name": bad, "credit_code": bad}, format="json"
        )
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["credit_code"]
    assert Partner.objects.count() == 1
