"""The partner side of the demo, through the partner services: contracts (one active for a
year, one expiring inside the reminder window, one terminated, one draft), training sessions
with invitations, attendance and scores, and recruitment applications (one waiting, one
screened and passed, one screened and failed)."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from common.periods import month_of
from partners.choices import CONTRACT_REMINDER_DAYS, FeeMilestone, FeeMode, TrainingTopic
from partners.models import Partner, PartnerContract
from partners.services import (
    application_screen,
    application_submit,
    contract_activate,
    contract_create,
    contract_terminate,
    training_attendance_record,
    training_session_create,
)
from sales.demo.org import credit_code

CLAUSES = {
    "scope": "乙方负责在约定区域内推广甲方项目，组织客户到访售楼处，协助完成认购与签约。",
    "fee_notes": "佣金按月结算，以甲方确认的成交为准；退房的已结佣金在下期结算中扣回。",
    "target_customers": "首次置业及改善型购房客户，重点为区域内企事业单位员工。",
    "termination_conditions": (
        "一、乙方虚假带访或私下向客户收费的，甲方可立即终止合同；"
        "二、连续两个季度未完成任务的，甲方可书面通知终止。"
    ),
    "obligations": "乙方须如实报备客户信息，不得以甲方名义对外承诺价格与优惠。",
    "supervision": "甲方按月考核带访、成交与客户投诉情况，按季度评估渠道绩效。",
}
TERMINATION_REASON = "多次虚假带访并私下向客户收取费用，依合同终止条款第一条终止。"


@dataclass(frozen=True)
class DemoContracts:
    """When each partner may bring customers: from its contract's start to its end."""

    active_until: dict[int, date]


def contracts_seed(*, actor, partners: dict[str, Partner], start: date, today: date):
    """链家's year ends inside the reminder window; 我爱我家 signed this quarter's start;
    房小二's was terminated early in the quarter; the broker's is still a draft."""
    lianjia, woaiwojia, fangxiaoer, broker = partners.values()
    expiring_in = min(CONTRACT_REMINDER_DAYS) + 13  # between the 30- and 7-day reminders
    rows = [
        (lianjia, "QD-2025-011", FeeMode.PERCENT, "1.20", FeeMilestone.SIGNING, 365, expiring_in),
        (woaiwojia, "QD-2026-027", FeeMode.PER_UNIT, "6000", FeeMilestone.DOWN_PAYMENT, None, 0),
        (fangxiaoer, "QD-2026-019", FeeMode.PER_UNIT, "5000", FeeMilestone.SIGNING, None, 0),
    ]
    until: dict[int, date] = {}
    for partner, code, mode, value, milestone, length, ends_in in rows:
        if length:  # a year's contract that ends `ends_in` days from today
            ends = today + timedelta(days=ends_in)
            begins = ends - timedelta(days=length - 1)
        else:  # a year from a month before the demo starts
            begins = start - timedelta(days=30)
            ends = begins + timedelta(days=364)
        contract = contract_create(
            actor=actor,
            partner=partner,
            code=code,
            fee_mode=mode,
            fee_value=Decimal(value),
            fee_milestone=milestone,
            start_on=begins,
            end_on=ends,
            sales_region=partner.regions,
            **CLAUSES,
        )
        contract_activate(actor=actor, contract=contract)
        until[partner.pk] = ends
    terminated = PartnerContract.objects.get(partner=fangxiaoer)
    until[fangxiaoer.pk] = start + timedelta(days=45)
    contract_terminate(
        actor=actor,
        contract=terminated,
        reason=TERMINATION_REASON,
        terminated_on=until[fangxiaoer.pk],
    )
    contract_create(  # the broker's first contract, waiting for his signature
        actor=actor,
        partner=broker,
        code="QD-2026-031",
        fee_mode=FeeMode.PER_UNIT,
        fee_value=Decimal("3000"),
        fee_milestone=FeeMilestone.SIGNING,
        start_on=today + timedelta(days=7),
        end_on=today + timedelta(days=371),
        sales_region=broker.regions,
        **CLAUSES,
    )
    return DemoContracts(active_until=until)


# (topic, title, held on (days after the demo's start, last month's first day or today),
#  place, trainer, {partner index: (attended, score)}; a session to come has no attendance)
SESSIONS = [
    (
        TrainingTopic.PRODUCT,
        "协成二期产品说明会",
        ("start", 9),
        "协成售楼处二楼会议室",
        "林顾问",
        {0: (True, 92), 1: (True, 85), 2: (False, None)},
    ),
    (
        TrainingTopic.COMPETITION,
        "区域竞品分析与销售策略",
        ("last month", 4),
        "锦绣华庭售楼处",
        "郑主管",
        {0: (True, 88), 1: (True, 76), 3: (True, 61)},
    ),
    (
        TrainingTopic.MARKETING,
        "渠道营销与拓客策略专题培训",
        ("today", 7),
        "渠道部培训室",
        "刘总",
        {0: (None, None), 1: (None, None), 3: (None, None)},
    ),
]


def trainings_seed(*, actor, partners: dict[str, Partner], start: date, today: date) -> None:
    """Two sessions held (attendance and scores recorded), one planned for next week."""
    listed = list(partners.values())
    for topic, title, (after, days), location, trainer, invited in SESSIONS:
        since = {"start": start, "last month": month_of(today).previous().start, "today": today}
        held_on = since[after] + timedelta(days=days)
        session = training_session_create(
            actor=actor,
            topic=topic,
            title=title,
            held_on=held_on,
            location=location,
            trainer=trainer,
            partners=[listed[i] for i in invited],
        )
        for index, (attended, score) in invited.items():
            if attended is not None and held_on <= today:
                training_attendance_record(
                    actor=actor,
                    session=session,
                    partner=listed[index],
                    attended=attended,
                    score=score,
                    notes="" if attended else "临时请假",
                )


# (company, kind, regions, contact, phone, e-mail, credit code body, capability,
#  scores (region, track record, reputation) or None while waiting)
APPLICATIONS = [
    (
        "天津安居房产经纪有限公司",
        "agency",
        "天津",
        "马经理",
        "13712345678",
        "ma@anju-demo.example.com",
        "91120103MA07D3HN5",
        "天津南开、河西两区12家门店，经纪人80余名，去年成交二手及新房共420套。",
        None,
    ),
    (
        "北京盛世置业顾问有限公司",
        "distributor",
        "北京",
        "何总",
        "13687654321",
        "he@shengshi-demo.example.com",
        "91110108MA02E4PR8",
        "专注北京东北部新房分销，合作楼盘9个，拥有企业团购客户资源。",
        (4, 4, 3),
    ),
    (
        "优家好房网络科技有限公司",
        "ecommerce",
        "天津, 北京",
        "吕经理",
        "15911223344",
        "lv@youjia-demo.example.com",
        "91110112MA03F5QU1",
        "线上房产信息平台，月活用户约5万，可提供线上获客与直播带看。",
        (3, 2, 1),
    ),
]


def applications_seed(*, actor) -> None:
    """Applications on the recruitment board: waiting for screening, passed, failed."""
    for company, kind, regions, contact, phone, email, body, capability, scores in APPLICATIONS:
        application = application_submit(
            company_name=company,
            kind=kind,
            regions=regions,
            contact_name=contact,
            contact_phone=phone,
            contact_email=email,
            credit_code=credit_code(body),
            capability=capability,
            language="zh-hans",
        )
        if scores:
            region, track_record, reputation = scores
            application_screen(
                actor=actor,
                application=application,
                score_region=region,
                score_track_record=track_record,
                score_reputation=reputation,
                notes="门店实地走访已完成。" if region >= 4 else "信用记录有逾期，需补充材料。",
            )
