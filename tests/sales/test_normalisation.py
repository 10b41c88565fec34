"""One normaliser for typed numbers (common/normalise.py, common/phones.py): full-width digits,
punctuation and spaces fold to ASCII in the API, every form and the import alike, so
``13`` + full-width digits is one customer and 撞单 and duplicate checks hit it; amounts
and areas are read as people write them."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from common.forms import DecimalField
from common.normalise import nfkc, number_text, parse_amount, parse_area
from common.periods import local_today
from common.phones import MOBILE_RE, normalise_phone, parse_customer_phone
from common.roles import Role
from sales.deal_forms import AreaField, MoneyField
from sales.models import Customer, Registration, Signing, Visit
from sales.selectors.customer_list import customer_search_q
from tests.factories.org import ProjectFactory, TeamFactory, marketer
from tests.helpers import browser_for

pytestmark = pytest.mark.django_db

HALF = "13812345678"
MIXED = "13８１２３４５６７８"  # as an input method leaves it: the first digits half-width
FULL = "１３８１２３４５６７８"


# --- the normaliser ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "phone"),
    [
        (MIXED, HALF),
        (FULL, HALF),
        ("１３８　１２３４　５６７８", HALF),  # ideographic spaces
        ("＋８６ １３８－１２３４－５６７８", HALF),
        ("(138) 1234.5678", HALF),
    ],
)
def test_phones_fold_full_width_digits_and_punctuation(typed, phone):
    assert normalise_phone(typed) == phone
    assert parse_customer_phone(typed, allow_masked=False) == (phone, "1385678")


def test_a_masked_phone_in_full_width_is_the_masked_key():
    assert parse_customer_phone("１３５＊＊＊＊５６７８", allow_masked=True) == ("", "1355678")


def test_a_masked_phone_where_full_numbers_are_recorded_says_so(english):
    with pytest.raises(ValidationError) as refused:
        parse_customer_phone("135****5678", allow_masked=False)
    assert refused.value.messages == [
        "This project records full numbers: enter all 11 digits, not a masked 135****5678."
    ]


def test_only_ascii_digits_are_a_stored_mobile():
    assert not MOBILE_RE.match(MIXED)  # Python's \d matched these: stored unnormalised before
    with pytest.raises(ValidationError):
        normalise_phone("１２３４５")


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("100万", "1000000"),
        ("125.5万元", "1255000"),
        ("９８．５", "98.5"),
        ("1,234.50", "1234.50"),
        ("￥1,250,000", "1250000"),
        ("¥ 98.5元", "98.5"),
        ("1.5亿", "150000000"),
        ("-33.30", "-33.30"),
    ],
)
def test_amounts_as_people_write_them(typed, amount):
    assert parse_amount(typed) == Decimal(amount)


@pytest.mark.parametrize("typed", ["98.5平米", "98.5㎡", "98.5平方米", "９８．５ m²", "98.5"])
def test_areas_as_people_write_them(typed):
    assert parse_area(typed) == Decimal("98.5")


@pytest.mark.parametrize("typed", ["", "abc", "1.2.3", "万", "12万万", "1,23"])
def test_what_is_no_amount_is_refused(typed):
    with pytest.raises(ValueError):
        parse_amount(typed)


def test_text_folds_to_its_plain_form():
    assert nfkc("　Ａ１：２－３　") == "A1:2-3"
    assert number_text("１，２３４．５０") == "1234.50"


def test_form_fields_fold_what_people_type():
    assert DecimalField(decimal_places=2).clean("１，２３４．５０") == Decimal("1234.50")
    assert MoneyField().clean("125.5万") == Decimal("1255000")
    assert MoneyField().clean("￥１，２５０，０００") == Decimal("1250000")
    assert AreaField().clean("98.5㎡") == Decimal("98.5")
    with pytest.raises(ValidationError):
        MoneyField().clean("一百万")


# --- the API ----------------------------------------------------------------------------


def test_a_full_width_phone_over_the_api_is_the_same_customer_and_hits_the_conflict(
    client_as, project
):
    body = {"project": project.pk, "customer_name": "吴女士"}
    first = client_as(Role.MARKETER).post(
        "/api/v1/registrations/", {**body, "customer_phone": MIXED}, format="json"
    )
    assert first.status_code == 201, first.json()
    assert first.json()["customer_phone"] == HALF
    for phone in (HALF, FULL):  # 撞单 either way it is typed
        second = client_as(Role.PARTNER).post(
            "/api/v1/registrations/", {**body, "customer_phone": phone}, format="json"
        )
        assert second.status_code == 400, second.json()
        assert first.json()["protected_until"] in second.json()["errors"]["customer_phone"][0]
    assert Customer.objects.get().phone == HALF
    assert Registration.objects.count() == 1


def test_an_all_full_width_phone_over_the_api_is_stored_normalised(client_as, project):
    office = client_as(Role.SECRETARY)
    response = office.post(
        "/api/v1/visits/",
        {
            "project": project.pk,
            "marketer": marketer().pk,
            "customer_name": "郑先生",
            "customer_phone": FULL,
            "visited_at": (local_today() - timedelta(days=1)).isoformat() + "T10:00:00+08:00",
            "property_type": "high_rise",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert Visit.objects.get().customer_phone == HALF
    found = office.get("/api/v1/customers/", {"search": FULL}).json()["results"]
    assert [c["phone"] for c in found] == [HALF]


def test_api_amounts_in_full_width_digits_are_read(client_as, project):
    response = client_as(Role.SECRETARY).post(
        "/api/v1/signings/",
        {
            "project": project.pk,
            "marketer": marketer().pk,
            "customer_name": "周先生",
            "customer_phone": FULL,
            "unit": "5-801",
            "property_type": "high_rise",
            "area": "１２０．５",
            "amount": "１，５００，０００．００",
            "signed_on": (local_today() - timedelta(days=1)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    signing = Signing.objects.get()
    assert (signing.area, signing.amount, signing.customer_phone) == (
        Decimal("120.50"),
        Decimal("1500000.00"),
        HALF,
    )


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"amount": "150000000.00"}, "amount", "at most 100,000,000.00"),
        ({"signed_on": "1900-01-01"}, "signed_on", "before 2000-01-01"),
        ({"area": "98000"}, "area", "check the digits"),
    ],
)
def test_implausible_api_values_are_field_errors(client_as, project, changes, field, words):
    body = {
        "project": project.pk,
        "marketer": marketer().pk,
        "customer_name": "周先生",
        "customer_phone": HALF,
        "unit": "5-802",
        "property_type": "high_rise",
        "area": "120.00",
        "amount": "1500000.00",
        "signed_on": (local_today() - timedelta(days=1)).isoformat(),
        **changes,
    }
    response = client_as(Role.SECRETARY).post(
        "/api/v1/signings/", body, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400, response.json()
    assert words in response.json()["errors"][field][0]
    assert not Signing.objects.exists()


def test_a_project_may_have_its_own_amount_cap(client_as, settings):
    villas = ProjectFactory(has_villa=True)
    settings.DEAL_AMOUNT_CAPS = {villas.code: Decimal("300000000")}
    body = {
        "project": villas.pk,
        "marketer": marketer().pk,
        "customer_name": "周先生",
        "customer_phone": HALF,
        "unit": "V-1",
        "property_type": "villa",
        "area": "600.00",
        "amount": "250000000.00",
        "signed_on": (local_today() - timedelta(days=1)).isoformat(),
    }
    response = client_as(Role.SECRETARY).post("/api/v1/signings/", body, format="json")
    assert response.status_code == 201, response.json()


# --- the forms --------------------------------------------------------------------------


def test_a_full_width_phone_through_the_form_is_the_same_customer_and_hits_the_conflict(
    make_login, project
):
    team = TeamFactory(project=project)
    first = make_login(Role.MARKETER, team=team)
    second = make_login(Role.MARKETER, team=team)
    response = browser_for(first).post(
        reverse("marketer:register"),
        {"project": project.pk, "customer_name": "钱先生", "phone": MIXED},
    )
    assert response.status_code == 302
    assert Registration.objects.get().customer_phone == HALF
    refused = browser_for(second).post(
        reverse("marketer:register"),
        {"project": project.pk, "customer_name": "钱先生", "phone": FULL},
    )
    assert refused.status_code == 400
    [error] = refused.context["form"].errors["phone"]
    assert "(撞单)" in error
    assert Customer.objects.count() == 1 and Registration.objects.count() == 1


def test_the_office_search_finds_a_customer_typed_in_full_width(project):
    Customer.objects.create(project=project, name="客户", phone=HALF, phone_key="1385678")
    for typed in (FULL, "１３８＊＊＊＊５６７８", "５６７８"):
        assert Customer.objects.filter(customer_search_q(typed)).count() == 1, typed
