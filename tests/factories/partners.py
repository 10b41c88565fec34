from datetime import timedelta
from decimal import Decimal

import factory

from common.periods import local_today
from partners.choices import ContractStatus, FeeMode, PartnerKind, TrainingTopic
from partners.models import (
    PartnerApplication,
    PartnerContract,
    TrainingAttendance,
    TrainingSession,
)
from tests.factories.org import PartnerFactory, _credit_code


class PartnerApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerApplication

    company_name = factory.Sequence(lambda n: f"申请公司{n}")
    kind = PartnerKind.AGENCY
    regions = "天津 河西区"
    contact_name = "王经理"
    contact_phone = "13812341234"
    contact_email = factory.Sequence(lambda n: f"applicant{n}@example.com")
    credit_code = factory.Sequence(lambda n: _credit_code(500_000 + n))
    capability = "十人团队，两年售出 120 套"


class PartnerContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerContract

    partner = factory.SubFactory(PartnerFactory)
    status = ContractStatus.DRAFT
    scope = "代理销售住宅"
    fee_mode = FeeMode.PER_UNIT
    fee_value = Decimal("1000.00")
    start_on = factory.LazyFunction(lambda: local_today() - timedelta(days=100))
    end_on = factory.LazyFunction(lambda: local_today() + timedelta(days=265))


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession

    topic = TrainingTopic.PRODUCT
    title = factory.Sequence(lambda n: f"培训{n}")
    held_on = factory.LazyFunction(local_today)
    location = "售楼处"


class TrainingAttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingAttendance

    session = factory.SubFactory(TrainingSessionFactory)
    partner = factory.SubFactory(PartnerFactory)
