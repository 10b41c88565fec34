"""The inbox: a user's own notifications only (another's answers 404 and is counted nowhere),
rendered in the reader's language, each event once, read one by one or all at once."""

import pytest
from django.core import mail
from django.urls import reverse

from common.models import Notification, NotificationPreference
from common.notifications.services import notification_preference_set, notify
from common.roles import Role
from tests.api_base import assert_constant_list_queries
from tests.helpers import browser_for

pytestmark = pytest.mark.django_db

FACTS = {"customer": "张伟", "project": "协成", "unit": "3-1502", "on": "2026-12-01"}


def tell(user, key="signing:1", kind="customer_signed", facts=FACTS, link="/marketer/"):
    notify(users=[user], kind=kind, facts=facts, key=key, link=link)
    return Notification.objects.get(user=user, key=key)


def token_client(client_as, user):
    return client_as(Role.MARKETER, user=user)


def test_the_same_event_notifies_each_user_once(alice, bob):
    assert notify(users=[alice, bob, alice], kind="customer_signed", facts=FACTS, key="k") == 2
    assert notify(users=[alice, bob], kind="customer_signed", facts=FACTS, key="k") == 0
    assert Notification.objects.filter(key="k").count() == 2


def test_an_unknown_kind_is_refused(alice):
    with pytest.raises(ValueError):
        notify(users=[alice], kind="no_such_kind", facts={}, key="k")


def test_the_text_is_rendered_in_the_readers_language(client_as, alice):
    tell(alice)
    api = token_client(client_as, alice)
    zh = api.get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()["results"][0]
    en = api.get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]
    assert en["text"] == "Your customer 张伟 signed for unit 3-1502 at 协成 on 2026-12-01."
    assert zh["text"] == "您的客户张伟已于 2026-12-01 签约协成 3-1502。"
    assert (zh["kind"], zh["link"], zh["read_at"]) == ("customer_signed", "/marketer/", None)


def test_another_users_notification_is_404_and_counted_nowhere(client_as, alice, bob):
    mine = tell(alice, key="mine")
    theirs = tell(bob, key="theirs", facts={**FACTS, "customer": "秘密客户"})
    api = token_client(client_as, alice)

    listed = api.get("/api/v1/notifications/").json()
    assert [row["id"] for row in listed["results"]] == [mine.pk]
    assert api.get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404
    assert api.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    api.post("/api/v1/notifications/read-all/")
    theirs.refresh_from_db()
    assert theirs.read_at is None

    web = browser_for(alice)
    assert web.get(reverse("notifications:detail", args=[theirs.pk])).status_code == 404
    assert web.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    page = web.get(reverse("notifications:list")).content.decode()
    assert "秘密客户" not in page
    assert 'data-testid="bell-count"' not in page  # alice's own one was marked read above


def test_the_bell_counts_my_unread_notifications_on_every_page(alice, bob):
    tell(alice, key="a1")
    tell(alice, key="a2")
    tell(bob, key="b1")
    page = browser_for(alice).get(reverse("marketer:home")).content.decode()
    assert '<span class="nav-bell-count" data-testid="bell-count">2</span>' in page


def test_mark_one_read_then_all_read(client_as, alice):
    first, second = tell(alice, key="1"), tell(alice, key="2")
    api = token_client(client_as, alice)
    answer = api.post(f"/api/v1/notifications/{first.pk}/read/").json()
    assert answer["read_at"] is not None
    assert api.get("/api/v1/notifications/?unread=true").json()["count"] == 1
    assert api.post("/api/v1/notifications/read-all/").json() == {"marked_read": 1}
    second.refresh_from_db()
    assert second.read_at is not None


def test_the_pages_mark_read_and_open_the_link(alice):
    note = tell(alice, link="/marketer/customers/")
    web = browser_for(alice)
    listing = web.get(reverse("notifications:list"))
    assert listing.status_code == 200
    assert "Your customer 张伟 signed" in listing.content.decode()
    opened = web.post(reverse("notifications:read", args=[note.pk]), {"open": "1"})
    assert opened.status_code == 302 and opened["Location"] == "/marketer/customers/"
    note.refresh_from_db()
    assert note.read_at is not None
    tell(alice, key="other")
    web.post(reverse("notifications:read-all"))
    assert not Notification.objects.filter(user=alice, read_at__isnull=True).exists()


def test_a_link_off_the_site_is_not_followed(alice):
    note = tell(alice, link="https://evil.example/")
    opened = browser_for(alice).post(reverse("notifications:read", args=[note.pk]), {"open": "1"})
    assert opened["Location"] == reverse("notifications:list")


@pytest.mark.parametrize("role", [Role.PARTNER, Role.CONSULTANT, Role.SECRETARY, Role.MANAGER])
def test_every_role_has_the_bell_and_the_inbox(make_login, role):
    web = browser_for(make_login(role))
    page = web.get(reverse("notifications:list"))
    assert page.status_code == 200
    assert 'data-testid="bell"' in page.content.decode()


def test_the_list_answers_in_constant_queries(client_as, alice):
    api = token_client(client_as, alice)
    counter = iter(range(10_000))

    def add(n):
        for _ in range(n):
            tell(alice, key=f"k{next(counter)}")

    assert_constant_list_queries(api, "/api/v1/notifications/", add)
    assert_constant_list_queries(browser_for(alice), reverse("notifications:list"), add)


def test_email_goes_only_to_users_who_want_it_and_have_an_address(
    alice, bob, make_login, eager_tasks, django_capture_on_commit_callbacks
):
    alice.email, bob.email = "alice@example.com", "bob@example.com"
    alice.save(), bob.save()
    no_address = make_login(Role.MARKETER)
    notification_preference_set(user=alice, email_enabled=True, language="en")
    notification_preference_set(user=no_address, email_enabled=True)
    notification_preference_set(user=bob, email_enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[alice, bob, no_address], kind="customer_signed", facts=FACTS, key="s1")
    assert [message.to for message in mail.outbox] == [["alice@example.com"]]
    assert "Your customer 张伟 signed" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[alice], kind="customer_signed", facts=FACTS, key="s1")  # the same event
    assert len(mail.outbox) == 1
    assert Notification.objects.get(user=alice, key="s1").emailed_at is not None


def test_the_settings_page_switches_email_on(alice):
    web = browser_for(alice)
    assert web.get(reverse("notifications:preferences")).status_code == 200
    web.post(reverse("notifications:preferences"), {"email_enabled": "on"})
    preference = NotificationPreference.objects.get(user=alice)
    assert preference.email_enabled and preference.language == "en"
    web.post(reverse("notifications:preferences"), {})
    preference.refresh_from_db()
    assert not preference.email_enabled


def test_every_page_and_the_xlsx_hold_unread_and_read_alike_unless_unread_is_ticked(alice):
    import io
    from datetime import datetime

    from django.utils import timezone
    from openpyxl import load_workbook

    for number in range(30):
        tell(alice, key=f"signing:{number}")
    Notification.objects.filter(user=alice, key="signing:0").update(read_at=timezone.now())
    web = browser_for(alice)
    second = web.get(reverse("notifications:list"), {"page": 2}).context["listing"]
    first = web.get(reverse("notifications:list")).context["listing"]
    assert first.rows.count() == second.rows.count() == 30
    assert len(second.table.page.object_list) == 30 - first.table.paginator.per_page
    unread = web.get(reverse("notifications:list"), {"unread": "on"}).context["listing"]
    assert unread.rows.count() == 29

    download = web.get(reverse("notifications:list"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(download.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 31 and None not in rows[0]
    when = rows[1][0]
    newest = Notification.objects.filter(user=alice).order_by("-created_at").first()
    assert isinstance(when, datetime)  # a real date cell, in Shanghai time as on the page
    assert when == timezone.localtime(newest.created_at).replace(
        tzinfo=None, microsecond=when.microsecond
    )
