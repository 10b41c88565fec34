"""Walk-ins (自然到访), customer search by pinyin initials, protection extensions.

Data-safe: the one constraint that changes on existing rows only loosens (a visit may now name
no channel at all), the customer's one-owner rule gains the sales office as a third owner that
no existing row is, and the initials of every existing customer are filled in batches.
"""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


BATCH = 2000


def initials_backfill(apps, schema_editor):
    """Pinyin initials for the customers stored before the services kept them."""
    from common.pinyin import name_initials

    Customer = apps.get_model("sales", "Customer")
    last = 0
    while True:
        batch = list(Customer.objects.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not batch:
            return
        for customer in batch:
            customer.name_initials = name_initials(customer.name)
        Customer.objects.bulk_update(batch, ["name_initials"])
        last = batch[-1].pk


class Migration(migrations.Migration):

    dependencies = [
        ('partners', '0003_contract_fee_percent'),
        ('sales', '0004_list_order_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ProtectionExtension',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('days', models.PositiveSmallIntegerField(verbose_name='days added')),
                ('reason', models.TextField(verbose_name='reason')),
                ('protected_until_before', models.DateField(verbose_name='protected until, before')),
                ('protected_until_after', models.DateField(verbose_name='protected until, after')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='extended at')),
            ],
            options={
                'verbose_name': 'protection extension',
                'verbose_name_plural': 'protection extensions',
                'ordering': ['-created_at'],
            },
        ),
        migrations.AlterModelOptions(
            name='customer',
            options={'ordering': ['-created_at', '-id'], 'verbose_name': 'customer', 'verbose_name_plural': 'customers'},
        ),
        migrations.RemoveConstraint(
            model_name='customer',
            name='customer_one_owner',
        ),
        migrations.RemoveConstraint(
            model_name='visit',
            name='visit_one_channel',
        ),
        migrations.AddField(
            model_name='customer',
            name='name_initials',
            field=models.CharField(blank=True, help_text='Pinyin initials of the name (张伟 → zw), for search; set by the services.', max_length=100, verbose_name='name initials'),
        ),
        migrations.AddField(
            model_name='customer',
            name='owner_office',
            field=models.BooleanField(default=False, help_text="A walk-in (自然到访) made the customer the sales office's, nobody's deal.", verbose_name="the sales office's (walk-in)"),
        ),
        migrations.AddField(
            model_name='project',
            name='walkin_protection_days',
            field=models.PositiveSmallIntegerField(default=90, help_text="After a walk-in (自然到访) the customer is the sales office's this long: channel registrations of it are refused.", validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(730)], verbose_name='walk-in protection (days)'),
        ),
        migrations.AlterField(
            model_name='customer',
            name='owner_locked_until',
            field=models.DateField(blank=True, help_text="The owner's protection end: deal protection after a visit inside registration protection, or walk-in protection when the owner is the sales office.", null=True, verbose_name='attribution locked until'),
        ),
        migrations.AddIndex(
            model_name='customer',
            index=models.Index(fields=['-created_at', '-id'], name='customer_recent_idx'),
        ),
        migrations.AddConstraint(
            model_name='customer',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('owner_marketer__isnull', True), ('owner_partner__isnull', True)), models.Q(('owner_marketer__isnull', True), ('owner_office', False)), models.Q(('owner_office', False), ('owner_partner__isnull', True)), _connector='OR'), name='customer_one_owner'),
        ),
        migrations.AddConstraint(
            model_name='visit',
            constraint=models.CheckConstraint(condition=models.Q(('marketer__isnull', True), ('partner__isnull', True), _connector='OR'), name='visit_at_most_one_channel'),
        ),
        migrations.AddConstraint(
            model_name='visit',
            constraint=models.CheckConstraint(condition=models.Q(('brought_marketer__isnull', True), ('brought_partner__isnull', True), _connector='OR'), name='visit_brought_by_one_channel'),
        ),
        migrations.AddField(
            model_name='protectionextension',
            name='actor',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='extended by'),
        ),
        migrations.AddField(
            model_name='protectionextension',
            name='registration',
            field=models.OneToOneField(help_text='One extension per registration: the database refuses a second.', on_delete=django.db.models.deletion.PROTECT, related_name='extension', to='sales.registration', verbose_name='registration'),
        ),
        migrations.AddConstraint(
            model_name='protectionextension',
            constraint=models.CheckConstraint(condition=models.Q(('days__gte', 1)), name='extension_days_positive'),
        ),
        migrations.RunPython(initials_backfill, migrations.RunPython.noop, elidable=True),
    ]
