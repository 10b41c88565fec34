"""Department-scale data on PostgreSQL, generated set-based (INSERT … SELECT generate_series).

One project with its default incentive plan, teams of 50 marketers, partners, customers, valid
visits and signings spread over the `months` months that end with `last_month`. Every 10th visit
and signing is credited to a partner (when there are partners), the rest to marketers.
Used by benchmarks/incentives_month.py and benchmarks/api_load.py.
"""

import os
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "channelhub.settings")
django.setup()

from django.db import connection  # noqa: E402

from common.periods import parse_period  # noqa: E402
from incentives.services import plan_create_default  # noqa: E402
from sales.models import Project  # noqa: E402


@dataclass(frozen=True)
class Dataset:
    project: Project
    first_staff: int
    staff: int
    first_partner: int | None
    partners: int


def generate(
    *,
    marketers: int,
    visits: int,
    signings: int,
    partners: int = 0,
    months: int = 1,
    last_month: str = "2026-10",
) -> Dataset:
    project = Project.objects.create(name="基准项目", code="bench", city="天津")
    plan_create_default(name="基准方案", effective_from=date(2025, 1, 1), projects=[project])
    last = parse_period(last_month)
    first = last
    for _ in range(months - 1):
        first = first.previous()
    teams = max(1, marketers // 50)
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO sales_team (name, project_id, robot_kind, robot_url) "
            "SELECT 'T' || i, %s, '', '' "
            "FROM generate_series(1, %s) i",
            [project.pk, teams],
        )
        cur.execute("SELECT min(id) FROM sales_team WHERE project_id = %s", [project.pk])
        first_team = cur.fetchone()[0]
        cur.execute(
            "INSERT INTO sales_staff (name, role, level, team_id, hired_on, is_active, phone) "
            "SELECT 'M' || i, 'marketer', (ARRAY['regular','excellent','senior'])[1 + i %% 3], "
            "%s + (i %% %s), DATE '2024-01-01' + (i %% 600), true, '' "
            "FROM generate_series(1, %s) i",
            [first_team, teams, marketers],
        )
        cur.execute("SELECT min(id) FROM sales_staff WHERE role = 'marketer'")
        first_staff = cur.fetchone()[0]
        first_partner = None
        if partners:
            cur.execute(
                "INSERT INTO partners_partner (name, kind, regions, contact_name, contact_phone, "
                "contact_email, credit_code, credit_rating, tier, status, created_at, robot_kind, "
                "robot_url) SELECT 'P' || i, 'agency', '', '', '', '', '', 'B', 3, 'active', "
                "now(), '', '' "
                "FROM generate_series(1, %s) i",
                [partners],
            )
            cur.execute("SELECT min(id) FROM partners_partner")
            first_partner = cur.fetchone()[0]
        cur.execute(
            "INSERT INTO sales_customer (project_id, name, name_initials, phone, phone_key, "
            "status, owner_office, owner_overridden, created_at) "
            "SELECT %s, 'C' || i, '', (13000000000 + i)::text, "
            "left((13000000000 + i)::text, 3) || right((13000000000 + i)::text, 4), 'visited', "
            "false, false, now() FROM generate_series(1, %s) i",
            [project.pk, visits],
        )
        cur.execute("SELECT min(id) FROM sales_customer WHERE project_id = %s", [project.pk])
        first_customer = cur.fetchone()[0]
        seconds = int((last.end_at - first.start_at).total_seconds())
        # i %% 10 = 0 goes to a partner when there are partners, else to a marketer.
        partner_row = "(%s > 0 AND i %% 10 = 0)"
        cur.execute(
            "INSERT INTO sales_visit (project_id, customer_id, customer_name, customer_phone, "
            "marketer_id, brought_marketer_id, partner_id, brought_partner_id, visited_at, "
            "property_type, group_size, status, is_valid, note, source, created_at) "
            f"SELECT %s, %s + i - 1, 'C', '13000000000', "
            f"CASE WHEN {partner_row} THEN NULL ELSE m END, "
            f"CASE WHEN {partner_row} THEN NULL ELSE m END, "
            f"CASE WHEN {partner_row} THEN p END, CASE WHEN {partner_row} THEN p END, "
            "%s + make_interval(secs => (i::bigint * 7919) %% %s),"
            " 'high_rise', 1, 'confirmed', true, '', '', now() FROM generate_series(1, %s) i, "
            "LATERAL (SELECT %s + (hashint4(i) & 2147483647) %% %s AS m, "
            "%s + (hashint4(i) & 2147483647) %% greatest(%s, 1) AS p) pick",
            [
                project.pk,
                first_customer,
                *([partners] * 4),
                first.start_at,
                seconds,
                visits,
                first_staff,
                marketers,
                first_partner or 0,
                partners,
            ],
        )
        days = (last.end - first.start).days + 1
        cur.execute(
            "INSERT INTO sales_signing (project_id, customer_id, customer_name, customer_phone, "
            "marketer_id, partner_id, unit, property_type, area, amount, signed_on, status, "
            "cancel_reason, created_at) SELECT %s, %s + i - 1, 'C', '13000000000', "
            f"CASE WHEN {partner_row} THEN NULL ELSE m END, CASE WHEN {partner_row} THEN p END, "
            "'U' || i, 'high_rise', 100, 500000 + (i %% 200) * 10000, DATE %s + (i %% %s), "
            "'signed', '', now() FROM generate_series(1, %s) i, "
            "LATERAL (SELECT %s + (hashint4(i + 7) & 2147483647) %% %s AS m, "
            "%s + (hashint4(i + 7) & 2147483647) %% greatest(%s, 1) AS p) pick",
            [
                project.pk,
                first_customer,
                *([partners] * 2),
                first.start.isoformat(),
                days,
                signings,
                first_staff,
                marketers,
                first_partner or 0,
                partners,
            ],
        )
        cur.execute("ANALYZE")
    return Dataset(project, first_staff, marketers, first_partner, partners)
