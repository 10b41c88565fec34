"""sales 0005 on rows stored before it: customers get their pinyin initials, nobody's owner or
visit changes."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("sales", "0004_list_order_indexes")]
AFTER = [("sales", "0005_walkins_customers_extensions")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_the_latest():
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_customers_stored_before_get_their_initials_and_keep_their_owner(back_to_the_latest):
    apps = migrate(BEFORE)
    project = apps.get_model("sales", "Project").objects.create(name="协成", code="xc", city="天津")
    team = apps.get_model("sales", "Team").objects.create(name="A组", project=project)
    seller = apps.get_model("sales", "Staff").objects.create(
        name="张行销", role="marketer", level="regular", team=team, hired_on="2025-01-01"
    )
    customer_model = apps.get_model("sales", "Customer")
    zhang = customer_model.objects.create(
        project=project,
        name="张伟",
        phone="13811112222",
        phone_key="1382222",
        owner_marketer=seller,
    )
    tom = customer_model.objects.create(
        project=project, name="Tom Lee", phone="13833334444", phone_key="1384444"
    )
    apps.get_model("sales", "Visit").objects.create(
        project=project,
        customer=zhang,
        customer_name="张伟",
        customer_phone="13811112222",
        marketer=seller,
        brought_marketer=seller,
        visited_at=timezone.now(),
        property_type="high_rise",
    )

    after = migrate(AFTER)
    customers = after.get_model("sales", "Customer").objects
    migrated = customers.get(pk=zhang.pk)
    assert (migrated.name_initials, migrated.owner_marketer_id, migrated.owner_office) == (
        "zw",
        seller.pk,
        False,
    )
    assert customers.get(pk=tom.pk).name_initials == "tl"
    assert after.get_model("sales", "Project").objects.get().walkin_protection_days == 90
    assert after.get_model("sales", "Visit").objects.get().marketer_id == seller.pk


def test_rows_stored_before_sources_get_the_source_the_services_now_give(back_to_the_latest):
    # partners back before its robot columns too: the rows below are written as of then.
    apps = migrate(
        [("sales", "0005_walkins_customers_extensions"), ("partners", "0003_contract_fee_percent")]
    )
    project = apps.get_model("sales", "Project").objects.create(name="金隅", code="jy", city="天津")
    team = apps.get_model("sales", "Team").objects.create(name="B组", project=project)
    seller = apps.get_model("sales", "Staff").objects.create(
        name="王行销", role="marketer", level="regular", team=team, hired_on="2025-01-01"
    )
    partner = apps.get_model("partners", "Partner").objects.create(
        name="链家", kind="agency", status="active", credit_code="91120116MA05T8XX0X"
    )
    customer = apps.get_model("sales", "Customer").objects.create(
        project=project, name="李", phone="13800001111", phone_key="1381111"
    )
    now = timezone.now()
    registrations = apps.get_model("sales", "Registration").objects
    by_partner = registrations.create(
        project=project, customer=customer, partner=partner, customer_name="李",
        customer_phone="13800001111", registered_at=now,
    )  # fmt: skip
    by_marketer = registrations.create(
        project=project, customer=customer, marketer=seller, customer_name="李",
        customer_phone="13800001111", registered_at=now,
    )  # fmt: skip
    visits = apps.get_model("sales", "Visit").objects
    common = {
        "project": project,
        "customer": customer,
        "customer_name": "李",
        "customer_phone": "13800001111",
        "visited_at": now,
        "property_type": "high_rise",
    }
    walk_in = visits.create(**common)
    brought = visits.create(**common, brought_partner=partner, partner=partner)

    after = migrate(
        [("sales", "0008_sources_campaigns"), ("partners", "0003_contract_fee_percent")]
    )
    rows = after.get_model("sales", "Registration").objects
    assert rows.get(pk=by_partner.pk).source == "partner"
    assert rows.get(pk=by_marketer.pk).source == "marketer_outreach"
    seen = after.get_model("sales", "Visit").objects
    assert seen.get(pk=walk_in.pk).source == "walk_in"
    assert seen.get(pk=brought.pk).source == "partner"
