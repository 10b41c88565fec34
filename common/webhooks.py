"""Group-robot webhooks (企业微信 / 钉钉): the URL's rules (https, to the kind's own host), its
masked form, the message each kind takes, and the one HTTP post (with a timeout) that the
delivery job makes.

The URL carries the robot's secret (WeCom's `key=`, DingTalk's `access_token=`): it is kept
as typed but never shown back in full — forms, the API and the admin show `robot_url_masked`
(the host and the last 4 characters), and an empty URL on an edit keeps the one stored.
"""

from __future__ import annotations

import json
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from common.models import RobotKind

MAX_URL_LENGTH = 500


@dataclass(frozen=True)
class RobotTarget:
    """Where one notification goes besides the inbox: a group robot's kind and URL."""

    kind: str
    url: str

    @classmethod
    def of(cls, owner) -> RobotTarget | None:
        """The robot of a team or a partner (a RobotWebhook), or None when it has none."""
        if owner is None or not owner.robot_kind or not owner.robot_url:
            return None
        return cls(kind=owner.robot_kind, url=owner.robot_url)


def robot_url_masked(url: str) -> str:
    """The URL as shown back: its host and its last 4 characters (``https://qyapi…/…a1b2``)."""
    if not url:
        return ""
    host = urlsplit(url).hostname or ""
    return f"https://{host}/…{url[-4:]}"


def robot_hosts(kind: str | None = None) -> set[str]:
    """The hosts a robot of `kind` (any kind: None) may post to (settings.ROBOT_WEBHOOK_HOSTS
    plus ROBOT_WEBHOOK_EXTRA_HOSTS)."""
    kinds = settings.ROBOT_WEBHOOK_HOSTS
    hosts = kinds.get(kind, ()) if kind else [h for group in kinds.values() for h in group]
    return {*hosts, *settings.ROBOT_WEBHOOK_EXTRA_HOSTS}


def robot_clean(*, kind: str, url: str, current_url: str = "") -> tuple[str, str]:
    """A robot's kind and URL as they will be stored: https only, a kind with a URL; an empty
    URL keeps `current_url` (the secret is not typed again on an edit), no kind clears both.
    Raises ValidationError on the `robot_url` / `robot_kind` fields."""
    kind = (kind or "").strip()
    url = (url or "").strip()
    if not kind:
        return "", ""
    if kind not in RobotKind.values:
        raise ValidationError({"robot_kind": _("Choose WeCom (企业微信) or DingTalk (钉钉).")})
    url = url or current_url
    if not url:
        raise ValidationError({"robot_url": _("Give the group robot's webhook URL.")})
    if len(url) > MAX_URL_LENGTH:
        raise ValidationError(
            {"robot_url": _("Keep the URL to %(max)d characters.") % {"max": MAX_URL_LENGTH}}
        )
    try:
        URLValidator(schemes=["https"])(url)
    except ValidationError:
        raise ValidationError(
            {"robot_url": _("The webhook URL must be an https:// address.")}
        ) from None
    hosts = robot_hosts(kind)
    if (urlsplit(url).hostname or "").lower() not in hosts:
        raise ValidationError(
            {
                "robot_url": _(
                    "This is not a %(kind)s address: it starts with https://%(host)s/ "
                    "(copy it from the group's robot settings)."
                )
                % {"kind": RobotKind(kind).label, "host": sorted(hosts)[0]}
            }
        )
    return kind, url


def robot_payload(*, kind: str, title: str, text: str) -> dict:
    """The message body each robot kind takes (markdown in both)."""
    if kind == RobotKind.DINGTALK:
        return {"msgtype": "markdown", "markdown": {"title": title, "text": f"### {title}\n{text}"}}
    return {"msgtype": "markdown", "markdown": {"content": f"**{title}**\n{text}"}}


class RobotError(Exception):
    """The robot did not take the message (unreachable, timed out, an error answer)."""


def _ssl_context() -> ssl.SSLContext:
    cafile = getattr(settings, "ROBOT_WEBHOOK_CA_FILE", "") or None
    return ssl.create_default_context(cafile=cafile)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A robot that answers with a redirect has failed: the secret never follows it."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def robot_post(*, url: str, payload: dict) -> None:
    """POST one message; raises RobotError unless the robot answers 2xx and no `errcode`.
    Never follows a redirect off https, never waits longer than ROBOT_WEBHOOK_TIMEOUT."""
    if urlsplit(url).scheme != "https":
        raise RobotError("not an https URL")
    if (urlsplit(url).hostname or "").lower() not in robot_hosts():
        raise RobotError("not a robot host (settings.ROBOT_WEBHOOK_HOSTS)")
    body = json.dumps(payload, ensure_ascii=False).encode()
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked to be https above
        url, data=body, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    opener = urllib.request.build_opener(
        _NoRedirect, urllib.request.HTTPSHandler(context=_ssl_context())
    )
    try:
        with opener.open(request, timeout=settings.ROBOT_WEBHOOK_TIMEOUT) as response:
            answer = response.read(10_000)
    except urllib.error.HTTPError as exc:
        raise RobotError(f"HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise RobotError(f"{type(exc).__name__}: {exc}"[:500]) from None
    try:
        data = json.loads(answer or b"{}")
    except ValueError:
        return  # a 2xx without JSON: taken
    if isinstance(data, dict) and data.get("errcode") not in (None, 0):
        raise RobotError(f"errcode {data.get('errcode')}: {data.get('errmsg', '')}"[:500])
