"""What the demo draws from: people's names, phone numbers, units and their prices.

Everything is drawn from one seeded `random.Random`, so a given day always seeds the same
company (stable tests and screenshots)."""

import random
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from common.money import to_money
from common.periods import SHANGHAI


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
    "彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢"
)
MALE_GIVEN = _words(
    "建华 志强 国栋 海涛 晓东 文杰 俊杰 子轩 浩然 鹏飞 振宇 立新 永刚 家豪 明辉 宏伟 "
    "天宇 博文 建军 春生 德明 少华 一鸣 思远 泽宇 伟 军 勇 磊 斌 涛 鑫 超 亮"
)
FEMALE_GIVEN = _words(
    "雪梅 丽娟 晓燕 婷婷 静怡 欣然 梦琪 诗涵 佳怡 秀英 桂兰 海燕 玉兰 慧敏 雅琴 "
    "思琪 紫涵 春燕 淑华 美玲 芳 娜 敏 静 丽 艳 颖 倩 琳 洁"
)
# Mainland mobile prefixes in use (the service normalises and checks the 11 digits).
PHONE_PREFIXES = _words(
    "130 131 132 133 135 136 137 138 139 150 151 152 155 156 157 158 159 "
    "166 176 177 180 181 182 183 185 186 187 188 189 198 199"
)
BANKS = ("中国建设银行", "中国工商银行", "中国银行", "中国农业银行", "招商银行", "交通银行")


@dataclass(frozen=True)
class Product:
    """A kind of home a project sells: how big, and what a square metre costs."""

    property_type: str
    area_cents: tuple[int, int]  # m² × 100, so areas keep two places
    price_per_m2: tuple[int, int]


# 协成 (Tianjin) sells high-rise flats; 锦绣华庭 (Beijing suburbs) also garden houses and villas.
PRODUCTS = {
    "xiecheng": {"high_rise": Product("high_rise", (7800, 14300), (16500, 21000))},
    "jinxiu": {
        "high_rise": Product("high_rise", (6900, 12800), (38000, 45000)),
        "garden_house": Product("garden_house", (12000, 18000), (52000, 58000)),
        "villa": Product("villa", (26000, 36000), (66000, 72000)),
    },
}
# What 锦绣华庭's visitors come to see; 协成 sells high-rise only.
INTEREST = {"jinxiu": (("high_rise", 70), ("garden_house", 20), ("villa", 10))}


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A local Asia/Shanghai instant on a business day."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


@dataclass
class Pools:
    """The seeded draws, remembering what is taken (phones, units) so nothing repeats."""

    rng: random.Random
    phones: set[str] = field(default_factory=set)
    units: dict[str, set[str]] = field(default_factory=dict)

    def person(self) -> str:
        given = MALE_GIVEN if self.rng.random() < 0.55 else FEMALE_GIVEN
        return self.rng.choice(SURNAMES) + self.rng.choice(given)

    def phone(self) -> str:
        while True:
            number = self.rng.choice(PHONE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def interest(self, project_code: str) -> str:
        kinds = INTEREST.get(project_code)
        if not kinds:
            return "high_rise"
        return self.rng.choices([k for k, _w in kinds], weights=[w for _k, w in kinds])[0]

    def unit(self, project_code: str, property_type: str) -> str:
        """A free unit: 3-1-1201 (building-entrance-floor and room) for flats, 8-2-301 for
        garden houses (up to 7 floors), A区18号 for villas."""
        taken = self.units.setdefault(project_code, set())
        while True:
            if property_type == "villa":
                unit = f"{self.rng.choice('ABC')}区{self.rng.randint(1, 60)}号"
            else:
                top = 7 if property_type == "garden_house" else 33
                floor = self.rng.randint(2, top)
                unit = (
                    f"{self.rng.randint(1, 16)}-{self.rng.randint(1, 3)}-"
                    f"{floor}{self.rng.randint(1, 4):02d}"
                )
            if unit not in taken:
                taken.add(unit)
                return unit

    def home(self, project_code: str, property_type: str) -> tuple[Decimal, Decimal]:
        """(area m², total price): the area to 0.01 m² times a price per m², to the cent."""
        product = PRODUCTS[project_code][property_type]
        area = Decimal(self.rng.randrange(*product.area_cents)) / 100
        price = Decimal(self.rng.randrange(*product.price_per_m2, 50))
        return area, to_money(area * price)
