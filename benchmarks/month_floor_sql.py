"""The SQL of the month floor (benchmarks/month_floor.py) that reads: the plan's marketers,
the month's visit and signing facts, every board's ranked and explained rows, and every
statement line with the compute's English description and facts (incentives/rules/*)."""

from incentives.rules import KIND_ORDER


def _money(x: str) -> str:
    """format_money in SQL: ``1,234,567.80``."""
    return f"to_char({x}, 'FM999,999,999,999,990.00')"


def _visits(x: str) -> str:
    """describe_visits in SQL: ``12 valid visits``."""
    return f"(({x})::text || ' valid visit' || CASE WHEN ({x}) = 1 THEN '' ELSE 's' END)"


def _day(x: str) -> str:
    return f"to_char({x}, 'YYYY-MM-DD')"


KIND_ORDER_VALUES = "(VALUES " + ", ".join(f"('{k}', {v})" for k, v in KIND_ORDER.items()) + ") "

# Who the plan pays: its projects' marketers employed at some point of the weeks and month.
STAFF = """
CREATE TEMP TABLE fl_staff ON COMMIT DROP AS
SELECT s.id, s.level, s.hired_on, s.left_on, s.team_id, s.is_active,
       s.hired_on <= %(m_end)s AND (s.left_on IS NULL OR s.left_on >= %(m_start)s) AS in_month
FROM sales_staff s JOIN sales_team t ON t.id = s.team_id
WHERE s.role = 'marketer' AND s.hired_on <= %(wide_end)s
  AND (s.left_on IS NULL OR s.left_on >= %(wide_start)s)
  AND t.project_id IN (SELECT project_id FROM incentives_incentiveplan_projects
                       WHERE incentiveplan_id = %(plan)s);
ALTER TABLE fl_staff ADD PRIMARY KEY (id);
ANALYZE fl_staff;
CREATE TEMP TABLE fl_plan ON COMMIT DROP AS
SELECT * FROM incentives_incentiveplan WHERE id = %(plan)s;
"""

# One scan of the valid visits: by marketer, property type, ISO week and in-month.
VISITS = """
CREATE TEMP TABLE fl_visit_groups ON COMMIT DROP AS
SELECT v.marketer_id AS staff_id, v.property_type,
       date_bin('7 days', v.visited_at, %(monday)s) AS week_at,
       v.visited_at >= %(m_start_at)s AND v.visited_at < %(m_end_at)s AS in_month,
       count(*) AS n
FROM sales_visit v JOIN fl_staff s ON s.id = v.marketer_id
WHERE v.is_valid AND v.visited_at >= %(wide_start_at)s AND v.visited_at < %(wide_end_at)s
GROUP BY 1, 2, 3, 4;
ANALYZE fl_visit_groups;
CREATE TEMP TABLE fl_counts ON COMMIT DROP AS
SELECT p.kind, p.code, g.staff_id, sum(g.n) AS n
FROM fl_visit_groups g JOIN fl_periods p ON p.kind = 'weekly_visits' AND p.start_at = g.week_at
GROUP BY 1, 2, 3
UNION ALL
SELECT 'monthly_visits', %(month)s, staff_id, sum(n) FROM fl_visit_groups WHERE in_month
GROUP BY staff_id;
ANALYZE fl_counts;
CREATE TEMP TABLE fl_signings ON COMMIT DROP AS
SELECT g.id, g.marketer_id AS staff_id, s.team_id, g.property_type, g.amount, g.signed_on,
       g.project_id, pr.code AS project_code, pr.name AS project_name
FROM sales_signing g JOIN fl_staff s ON s.id = g.marketer_id AND s.in_month
JOIN sales_project pr ON pr.id = g.project_id
WHERE g.signed_on BETWEEN %(m_start)s AND %(m_end)s
  AND NOT (g.status = 'cancelled' AND g.cancelled_on <= %(today)s);
ANALYZE fl_signings;
"""

# Every board's subjects with their value and what they are held to (rules.ranking.rank).
_PERSON = f"""
SELECT p.kind, p.code, p.ord, false AS is_team, s.id AS subject_id,
  CASE WHEN p.kind = 'monthly_signings' THEN coalesce(a.total, 0) ELSE coalesce(c.n, 0) END
    AS value,
  CASE WHEN p.kind = 'monthly_signings' THEN coalesce(a.total::text, '0')
       ELSE coalesce(c.n, 0)::text END AS vtext,
  CASE WHEN p.kind = 'monthly_signings' THEN 'amount' ELSE 'visits' END AS measure,
  CASE WHEN p.kind = 'monthly_signings' THEN pl.signing_threshold_amount
       WHEN task.value IS NOT NULL THEN trunc(task.value)
       WHEN p.kind = 'weekly_visits' THEN pl.weekly_visit_threshold
       ELSE pl.monthly_visit_threshold END AS lim,
  CASE WHEN p.kind = 'monthly_signings' THEN pl.signing_threshold_amount::text
       WHEN task.value IS NOT NULL THEN trunc(task.value)::text
       WHEN p.kind = 'weekly_visits' THEN pl.weekly_visit_threshold::text
       ELSE pl.monthly_visit_threshold::text END AS lim_text,
  CASE WHEN task.value IS NULL OR p.kind = 'monthly_signings' THEN 'threshold'
       WHEN p.kind = 'weekly_visits' THEN 'weekly_task' ELSE 'monthly_task' END AS below_code,
  CASE WHEN p.kind = 'monthly_signings'
         THEN 'below the threshold of ' || {_money("pl.signing_threshold_amount")} || ' signed'
       WHEN task.value IS NOT NULL THEN 'below the '
         || CASE WHEN p.kind = 'weekly_visits' THEN 'weekly' ELSE 'monthly' END
         || ' visit task (target) of ' || {_visits("trunc(task.value)")}
       WHEN p.kind = 'weekly_visits'
         THEN 'below the threshold of ' || {_visits("pl.weekly_visit_threshold")}
       ELSE 'below the threshold of ' || {_visits("pl.monthly_visit_threshold")} END
    AS below_text,
  true AS payable
FROM fl_periods p
JOIN fl_staff s ON s.hired_on <= p.end_d AND (s.left_on IS NULL OR s.left_on >= p.start_d)
CROSS JOIN fl_plan pl
LEFT JOIN fl_counts c ON c.kind = p.kind AND c.code = p.code AND c.staff_id = s.id
LEFT JOIN (SELECT staff_id, sum(amount) AS total FROM fl_signings GROUP BY staff_id) a
  ON p.kind = 'monthly_signings' AND a.staff_id = s.id
LEFT JOIN incentives_target task ON p.kind <> 'monthly_signings' AND task.metric = 'valid_visits'
  AND task.subject_type = 'staff' AND task.period = p.code AND task.subject_id = s.id
WHERE p.kind <> 'monthly_team_signings'
"""

# Teams with the month's signings or active marketers (selectors.activity.team_facts).
_TEAM = f"""
SELECT p.kind, p.code, p.ord, true, t.id, coalesce(a.total, 0), coalesce(a.total::text, '0'),
  'team_amount',
  CASE WHEN coalesce(a.total, 0) < round(pl.team_threshold_amount, 2) OR tg.value IS NULL
       THEN round(pl.team_threshold_amount, 2) ELSE tg.value END,
  CASE WHEN coalesce(a.total, 0) < round(pl.team_threshold_amount, 2) OR tg.value IS NULL
       THEN round(pl.team_threshold_amount, 2)::text ELSE tg.value::text END,
  CASE WHEN coalesce(a.total, 0) < round(pl.team_threshold_amount, 2) OR tg.value IS NULL
       THEN 'threshold' ELSE 'team_target' END,
  CASE WHEN coalesce(a.total, 0) < round(pl.team_threshold_amount, 2) OR tg.value IS NULL
       THEN 'below the threshold of ' || {_money("round(pl.team_threshold_amount, 2)")}
       ELSE 'below the team''s monthly target of ' || {_money("tg.value")} END,
  m.team_id IS NOT NULL
FROM fl_periods p CROSS JOIN fl_plan pl CROSS JOIN sales_team t
LEFT JOIN (SELECT team_id, sum(amount) AS total FROM fl_signings GROUP BY team_id) a
  ON a.team_id = t.id
LEFT JOIN (SELECT DISTINCT team_id FROM fl_staff WHERE in_month AND is_active
           AND (left_on IS NULL OR left_on >= %(m_end)s)) m ON m.team_id = t.id
LEFT JOIN incentives_target tg ON tg.metric = 'signing_amount' AND tg.subject_type = 'team'
  AND tg.period = %(month)s AND tg.subject_id = t.id
WHERE p.kind = 'monthly_team_signings' AND (a.team_id IS NOT NULL OR m.team_id IS NOT NULL)
"""

_SAID = f"""CASE measure
  WHEN 'visits' THEN vtext || ' valid visit' || CASE WHEN value = 1 THEN '' ELSE 's' END
  WHEN 'amount' THEN {_money("value")} || ' signed'
  ELSE {_money("value")} || ' signed by the team' END || ' in ' || code"""

# Ranked (1, 1, 3) among the eligible, prized from the plan, explained (rules.ranking._ranked).
ROWS = f"""
CREATE TEMP TABLE fl_held ON COMMIT DROP AS
SELECT *, value >= lim AND value > 0 AND payable AS eligible,
  CASE WHEN value < lim THEN below_code WHEN NOT payable THEN 'no_active' ELSE 'zero' END
    AS reason
FROM ({_PERSON} UNION ALL {_TEAM}) x;
CREATE TEMP TABLE fl_rows ON COMMIT DROP AS
WITH ranked AS (
  SELECT h.*,
    CASE WHEN eligible THEN rank() OVER (PARTITION BY kind, code, eligible ORDER BY value DESC)
    END AS rnk,
    count(*) OVER (PARTITION BY kind, code, eligible, value) AS tied,
    count(*) FILTER (WHERE eligible) OVER (PARTITION BY kind, code) AS of_n
  FROM fl_held h
), prized AS (
  SELECT r.*, CASE WHEN NOT eligible THEN 0.00
    WHEN kind = 'monthly_team_signings' THEN CASE WHEN rnk = 1 THEN round(pl.team_prize, 2) END
    WHEN kind = 'weekly_visits' THEN (ARRAY[pl.weekly_visit_prize_1, pl.weekly_visit_prize_2,
                                            pl.weekly_visit_prize_3])[rnk]
    WHEN kind = 'monthly_visits' THEN (ARRAY[pl.monthly_visit_prize_1,
                                    pl.monthly_visit_prize_2, pl.monthly_visit_prize_3])[rnk]
    ELSE (ARRAY[pl.signing_prize_1, pl.signing_prize_2, pl.signing_prize_3])[rnk] END AS prize_
  FROM ranked r CROSS JOIN fl_plan pl
)
SELECT kind, code, ord, is_team, subject_id, value, eligible, rnk,
  round(coalesce(prize_, 0.00), 2) AS prize,
  CASE WHEN eligible THEN {_SAID} || ', rank ' || rnk
    || CASE WHEN tied > 1 THEN ' (tied with ' || (tied - 1) || ' other'
            || CASE WHEN tied > 2 THEN 's' ELSE '' END || ')' ELSE '' END
    || ' of ' || of_n || ' eligible → ' || {_money("coalesce(prize_, 0)")}
  ELSE {_SAID} || ', not eligible ('
    || CASE reason WHEN 'zero' THEN 'zero never wins'
                   WHEN 'no_active' THEN 'no active marketers to pay' ELSE below_text END
    || ') → 0.00' END AS explanation,
  CASE WHEN eligible THEN jsonb_build_object('code', 'rank.eligible', 'measure', measure,
    'value', vtext, 'period', code, 'rank', rnk, 'tied', tied, 'of', of_n,
    'prize', round(coalesce(prize_, 0.00), 2)::text)
  ELSE jsonb_build_object('code', 'rank.ineligible', 'measure', measure, 'value', vtext,
    'period', code) || CASE WHEN reason IN ('zero', 'no_active')
      THEN jsonb_build_object('reason', reason)
      ELSE jsonb_build_object('reason', reason, 'threshold', lim_text) END END AS facts
FROM prized;
ANALYZE fl_rows (kind, code, is_team, subject_id, prize);
"""

_SIGNING_FACTS = f"""jsonb_build_object('type', g.property_type,
  'project', coalesce(nullif(g.project_name, ''), g.project_code, ''),
  'amount', g.amount::text, 'signed_on', {_day("g.signed_on")})"""
_LABEL = f"""'signing #' || g.id || ' (' || g.property_type
  || coalesce(', ' || coalesce(nullif(g.project_name, ''), nullif(g.project_code, '')), '')
  || ', ' || {_money("g.amount")} || ' signed ' || {_day("g.signed_on")} || ')'"""
_SCOPE = """CASE WHEN rule.rule_project IS NOT NULL THEN 'project ' || rule.rule_project || ' rule'
  ELSE 'default ' || g.property_type || ' rule' END"""
_PRORATED_NOTE = f"""concat_ws(', ',
  CASE WHEN s.hired_on BETWEEN %(m_start)s AND %(m_end)s THEN 'hired ' || {_day("s.hired_on")} END,
  CASE WHEN s.left_on BETWEEN %(m_start)s AND %(m_end)s THEN 'left ' || {_day("s.left_on")} END)"""
_ONE_MONTH = """CASE WHEN extract(day FROM r.hired_on)
    > extract(day FROM date_trunc('month', r.hired_on) + interval '2 months - 1 day')
  THEN (date_trunc('month', r.hired_on) + interval '2 months - 1 day')::date
  ELSE (r.hired_on + interval '1 month')::date - 1 END"""

# Every computed line of every plan marketer, in the compute's order: `grp` and `sub` give the
# position (KIND_ORDER × 1000 + the line's index on its statement).
LINES = f"""
CREATE TEMP TABLE fl_lines (staff_id int, grp int, sub bigint, kind text, amount numeric,
  description text, source text, signing_id int, facts jsonb) ON COMMIT DROP;
INSERT INTO fl_lines
SELECT s.id, 0, 0, 'base_salary',
  CASE WHEN d.days = %(m_days)s THEN d.salary ELSE round(d.salary * d.days / %(m_days)s, 2) END,
  CASE WHEN d.days = %(m_days)s
    THEN {_money("d.salary")} || ' base salary (' || s.level || '), full month ' || %(month)s
    ELSE {_money("d.salary")} || ' × ' || d.days || '/' || %(m_days)s || ' days ('
      || {_PRORATED_NOTE} || '), ' || s.level END,
  'month:' || %(month)s, NULL,
  CASE WHEN d.days = %(m_days)s THEN jsonb_build_object('code', 'base_salary',
    'salary', d.salary::text, 'level', s.level, 'month', %(month)s)
  ELSE jsonb_build_object('code', 'base_salary.prorated', 'salary', d.salary::text,
    'level', s.level, 'days', d.days, 'month_days', %(m_days)s,
    'hired_on', CASE WHEN s.hired_on BETWEEN %(m_start)s AND %(m_end)s
                     THEN {_day("s.hired_on")} ELSE '' END,
    'left_on', CASE WHEN s.left_on BETWEEN %(m_start)s AND %(m_end)s
                    THEN {_day("s.left_on")} ELSE '' END) END
FROM fl_staff s CROSS JOIN fl_plan pl
CROSS JOIN LATERAL (SELECT CASE s.level WHEN 'regular' THEN pl.base_salary_regular
    WHEN 'excellent' THEN pl.base_salary_excellent ELSE pl.base_salary_senior END AS salary,
  least(%(m_end)s, coalesce(s.left_on, %(m_end)s)) - greatest(%(m_start)s, s.hired_on) + 1
    AS days) d
WHERE s.in_month;
INSERT INTO fl_lines
SELECT g.staff_id, 1, t.ord, 'visit_incentive', t.per * g.n,
  g.n || ' valid ' || g.property_type || ' visit' || CASE WHEN g.n = 1 THEN '' ELSE 's' END
    || ' in ' || %(month)s || ' × ' || {_money("t.per")} || ' = ' || {_money("t.per * g.n")},
  'visits:' || %(month)s || ':' || g.property_type, NULL,
  jsonb_build_object('code', 'visit_incentive', 'count', g.n, 'type', g.property_type,
    'month', %(month)s, 'per_visit', t.per::text, 'total', (t.per * g.n)::text)
FROM (SELECT staff_id, property_type, sum(n)::bigint AS n FROM fl_visit_groups WHERE in_month
      GROUP BY 1, 2) g
JOIN fl_staff s ON s.id = g.staff_id AND s.in_month
JOIN (SELECT 'high_rise' AS type, 0 AS ord, visit_incentive_high_rise AS per FROM fl_plan
      UNION ALL SELECT 'garden_house', 1, visit_incentive_garden_house FROM fl_plan
      UNION ALL SELECT 'villa', 2, visit_incentive_villa FROM fl_plan) t
  ON t.type = g.property_type;
INSERT INTO fl_lines
SELECT g.staff_id, 2, row_number() OVER (ORDER BY g.signed_on, g.id), 'commission',
  CASE WHEN rule.mode IS NULL THEN 0 WHEN rule.mode = 'per_unit' THEN round(rule.value, 2)
       ELSE round(g.amount * rule.value / 100, 2) END,
  {_LABEL} || CASE WHEN rule.mode IS NULL
      THEN ': no ' || g.property_type || ' commission (not set in plan)'
    WHEN rule.mode = 'per_unit'
      THEN ': ' || {_money("round(rule.value, 2)")} || ' per unit (' || {_SCOPE} || ')'
    ELSE ': ' || trim_scale(rule.value)::text || chr(37) || ' of the signed amount = '
      || {_money("round(g.amount * rule.value / 100, 2)")} || ' (' || {_SCOPE} || ')' END,
  'signing:' || g.id, g.id,
  {_SIGNING_FACTS} || CASE WHEN rule.mode IS NULL
      THEN jsonb_build_object('code', 'commission.unset')
    WHEN rule.mode = 'per_unit' THEN jsonb_build_object('code', 'commission.per_unit',
      'rule_project', coalesce(rule.rule_project, ''), 'value', round(rule.value, 2)::text)
    ELSE jsonb_build_object('code', 'commission.percent',
      'rule_project', coalesce(rule.rule_project, ''), 'value', rule.value::text,
      'result', round(g.amount * rule.value / 100, 2)::text) END
FROM fl_signings g
LEFT JOIN LATERAL (
  SELECT r.mode, r.value, pr.code AS rule_project
  FROM incentives_commissionrate r LEFT JOIN sales_project pr ON pr.id = r.project_id
  WHERE r.plan_id = %(plan)s AND r.property_type = g.property_type
    AND (r.project_id IS NULL OR pr.code IN (g.project_code, g.project_name))
  ORDER BY CASE WHEN pr.code = g.project_code THEN 0 WHEN pr.code = g.project_name THEN 1
                ELSE 2 END
  LIMIT 1) rule ON true;
INSERT INTO fl_lines
SELECT subject_id, 3 + ord, 0,
  CASE kind WHEN 'weekly_visits' THEN 'weekly_visit_award'
            WHEN 'monthly_visits' THEN 'monthly_visit_award' ELSE 'signing_award' END,
  prize,
  CASE kind WHEN 'weekly_visits' THEN 'Weekly visit award'
            WHEN 'monthly_visits' THEN 'Monthly visit award' ELSE 'Monthly signing award' END
    || ': ' || explanation,
  CASE kind WHEN 'weekly_visits' THEN 'week:' ELSE 'month:' END || code, NULL,
  (facts - 'code') || jsonb_build_object('code', 'award')
FROM fl_rows WHERE NOT is_team AND prize > 0;
INSERT INTO fl_lines
WITH win AS (
  SELECT r.subject_id AS team_id, r.prize, r.explanation, r.facts, r.ord, t.leader_id
  FROM fl_rows r JOIN sales_team t ON t.id = r.subject_id WHERE r.is_team AND r.prize > 0
), share AS (
  SELECT w.*, s.id AS staff_id, count(*) OVER team AS ways,
    trunc(w.prize * 100 / count(*) OVER team) / 100 AS base,
    CASE WHEN bool_or(s.id = w.leader_id) OVER team THEN w.leader_id
         ELSE min(s.id) OVER team END AS receiver
  FROM win w JOIN fl_staff s ON s.team_id = w.team_id AND s.in_month AND s.is_active
    AND (s.left_on IS NULL OR s.left_on >= %(m_end)s)
  WINDOW team AS (PARTITION BY w.team_id)
), extra AS (
  SELECT *, round(CASE WHEN staff_id = receiver THEN prize - base * ways ELSE 0 END, 2) AS extra
  FROM share
)
SELECT staff_id, 3 + ord, 0, 'team_award', base + extra,
  'Team award: team #' || team_id || ', ' || explanation || '; split ' || ways || ' ways = '
    || {_money("base")} || ' each'
    || CASE WHEN extra <> 0 THEN ' + ' || {_money("extra")} || ' leftover cents' ELSE '' END,
  'team:' || team_id, NULL,
  (facts - 'code') || jsonb_build_object('code', 'team_award', 'team', team_id, 'ways', ways,
    'share', round(base, 2)::text, 'extra', extra::text)
FROM extra;
INSERT INTO fl_lines
SELECT r.referred_by_id, 10, row_number() OVER (ORDER BY r.name, r.id), 'referral_bonus',
  pl.referral_bonus,
  'Referral bonus ' || {_money("pl.referral_bonus")} || ': staff #' || r.id || ' (hired '
    || {_day("r.hired_on")} || ') completed one month on ' || {_day("c.done")},
  'staff:' || r.id, NULL,
  jsonb_build_object('code', 'referral_bonus', 'bonus', pl.referral_bonus::text, 'staff', r.id,
    'hired_on', {_day("r.hired_on")}, 'completed_on', {_day("c.done")})
FROM sales_staff r JOIN fl_staff f ON f.id = r.referred_by_id AND f.in_month
CROSS JOIN fl_plan pl CROSS JOIN LATERAL (SELECT {_ONE_MONTH} AS done) c
WHERE r.hired_on BETWEEN %(prev_start)s AND %(m_end)s AND c.done BETWEEN %(m_start)s AND %(m_end)s
  AND (r.left_on IS NULL OR r.left_on >= c.done) AND (f.left_on IS NULL OR f.left_on >= c.done);
ANALYZE fl_lines (staff_id, kind);
"""

# The boards: kept rows (their ids) with the compute's time, entries replaced.
