"""What an xlsx import reads: its kinds, each kind's columns (the Chinese header, the field it
fills, accepted aliases) and the template workbook built from them."""

import re
from dataclasses import dataclass

from common.normalise import nfkc
from sales.exports import import_template_workbook

VISITS = "visits"
SIGNINGS = "signings"
KINDS = (VISITS, SIGNINGS)


def header_key(text: str) -> str:
    """A header (or a word in a cell) as it is matched: folded (NFKC, so full-width letters and
    brackets are plain), no spaces, dashes, underscores or colons, lower case."""
    return re.sub(r"[\s_\-:*]+", "", nfkc(text)).lower()


@dataclass(frozen=True)
class Column:
    """One importable column: the field it fills, its Chinese header and accepted aliases."""

    field: str
    zh: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    help: str = ""
    # How the template formats the column: "text" (kept as typed: phones keep their digits),
    # "date", "datetime", "time", "number", "money" or "" (general).
    kind: str = ""

    def names(self) -> set[str]:
        return {header_key(name) for name in (self.zh, self.field, *self.aliases)}


CUSTOMER_COLUMNS = (
    Column("customer_name", "客户姓名", ("客户", "姓名", "客户名称", "name"), True, "客户姓名"),
    Column(
        "customer_phone",
        "手机号",
        ("手机", "电话", "手机号码", "联系电话", "phone"),
        True,
        "11 位手机号；前三后四项目可填 135****5678",
        "text",
    ),
)
PROPERTY_TYPE_COLUMN = Column(
    "property_type",
    "业态",
    ("意向业态", "产品类型", "type"),
    True,
    "高层住宅 / 洋房 / 别墅",
)
MARKETER_COLUMN = Column(
    "marketer", "行销", ("行销人员", "渠道行销", "带访行销"), False, "行销人员姓名或编号（id）"
)
PARTNER_COLUMN = Column(
    "partner", "合作伙伴", ("渠道", "渠道合作伙伴", "带访渠道"), False, "合作伙伴名称或编号（id）"
)

VISIT_COLUMNS = (
    *CUSTOMER_COLUMNS,
    Column(
        "visited_at",
        "到访时间",
        ("来访时间", "时间", "visit_time", "visited_time", "time"),
        False,
        "如 2026-11-22 10:30（北京时间）；有“到访日期”列时可只填 10:30",
        "datetime",
    ),
    Column(
        "visited_on",
        "到访日期",
        ("来访日期", "日期", "visit_date", "visited_date", "date"),
        False,
        "如 2026-11-22；与“到访时间”二选一或一起填；只有日期时按当天 00:00",
        "date",
    ),
    PROPERTY_TYPE_COLUMN,
    Column(
        MARKETER_COLUMN.field,
        MARKETER_COLUMN.zh,
        MARKETER_COLUMN.aliases,
        False,
        "带访的行销人员姓名或编号；行销与合作伙伴二选一",
    ),
    Column(
        PARTNER_COLUMN.field,
        PARTNER_COLUMN.zh,
        PARTNER_COLUMN.aliases,
        False,
        "带访的合作伙伴名称或编号；行销与合作伙伴二选一",
    ),
    Column("consultant", "置业顾问", ("顾问",), False, "接待的置业顾问姓名或编号"),
    Column("status", "状态", ("来访状态",), False, "待确认（默认）或已确认"),
    Column("group_size", "人数", ("来访人数",), False, "来访人数，默认 1", "number"),
    Column("note", "备注", ("说明",), False, "备注（300 字以内）"),
)
SIGNING_COLUMNS = (
    *CUSTOMER_COLUMNS,
    Column(
        "unit", "房号", ("房源", "单元", "房间号"), True, "如 3-1502；同一项目一套房只能签约一次"
    ),
    PROPERTY_TYPE_COLUMN,
    Column(
        "area",
        "面积",
        ("建筑面积", "面积(㎡)", "面积(m²)", "面积(平米)"),
        True,
        "平方米，最多两位小数；可写 98.5平米 / 98.5㎡",
        "number",
    ),
    Column(
        "amount",
        "金额",
        ("签约金额", "成交金额", "总价", "成交总价", "合同金额"),
        True,
        "元，最多两位小数；可写 1,250,000 / 125万 / ￥1250000；表头写“金额(万元)”时按万元",
        "money",
    ),
    Column(
        "signed_on",
        "签约日期",
        ("日期", "签约时间", "成交日期", "date"),
        True,
        "如 2026-11-22 或 2026年11月22日",
        "date",
    ),
    Column(
        MARKETER_COLUMN.field,
        MARKETER_COLUMN.zh,
        MARKETER_COLUMN.aliases,
        False,
        "业绩归属的行销；空则按客户归属",
    ),
    Column(
        PARTNER_COLUMN.field,
        PARTNER_COLUMN.zh,
        PARTNER_COLUMN.aliases,
        False,
        "业绩归属的合作伙伴；空则按客户归属",
    ),
)
COLUMNS = {VISITS: VISIT_COLUMNS, SIGNINGS: SIGNING_COLUMNS}
# Fields of which a sheet needs at least one (a visit's time, or its date and time apart).
REQUIRED_ANY = {VISITS: (("visited_at", "visited_on"),), SIGNINGS: ()}
# What the 说明 sheet shows as an example of each column.
TEMPLATE_EXAMPLES = {
    "customer_name": "王先生",
    "customer_phone": "13812345678",
    "visited_at": "2026-11-22 10:30",
    "visited_on": "2026-11-22",
    "property_type": "高层住宅",
    "marketer": "张三",
    "partner": "",
    "consultant": "李四",
    "status": "已确认",
    "group_size": "2",
    "note": "",
    "unit": "3-1502",
    "area": "98.5",
    "amount": "1250000",
    "signed_on": "2026-11-22",
}
TEMPLATE_TITLES = {VISITS: "来访登记表", SIGNINGS: "签约登记表"}


def import_template(*, kind: str) -> bytes:
    """The xlsx template for a kind: a title row, the Chinese header row with each column
    typed (phones as text, so Excel keeps every digit; dates as dates), and a 说明 sheet."""
    columns = COLUMNS[kind]
    either = {name for group in REQUIRED_ANY[kind] for name in group}

    def required(column: Column) -> str:
        return "是" if column.required else "二选一" if column.field in either else "否"

    notes = [
        (c.zh, c.field, required(c), c.help, TEMPLATE_EXAMPLES.get(c.field, "")) for c in columns
    ]
    return import_template_workbook(
        title=TEMPLATE_TITLES[kind],
        headers=[c.zh for c in columns],
        kinds=[c.kind for c in columns],
        notes=notes,
    )
