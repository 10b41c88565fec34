"""Appeals (申诉) from a channel's own pages, the partner portal's and the marketer's alike:
the form (project and phone as the channel knows them, or the record it is about, a reason and
evidence files), filing it through the same service as the API, and the pages "file an appeal",
"my appeals" and one appeal — each channel's views call these with its own URL names."""

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.access import can
from common.forms import add_service_errors
from common.pagination import list_page, query_without_page
from common.phones import mask_phone
from sales.choices import AppealSubject
from sales.forms import ProjectChoiceField
from sales.models import Appeal, Project
from sales.presentation import evidence_response
from sales.selectors import project_active_list
from sales.selectors.appeals import appeal_evidence_get, appeal_get, appeal_list
from sales.services.appeals import appeal_file

PAGE_SIZE = 20
LINKS = ("registration", "visit", "signing")
ACCEPT = "image/jpeg,image/png,image/gif,image/webp,application/pdf,.jpg,.jpeg,.png,.gif,.webp,.pdf"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (the service checks their types, sizes and count)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class AppealForm(forms.Form):
    """申诉: what it is about, why the customer is yours, and evidence."""

    project = ProjectChoiceField(
        label=gettext_lazy("Project"), queryset=Project.objects.none(), required=False
    )
    customer_phone = forms.CharField(
        label=gettext_lazy("Customer's mobile"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("As you know it: 13812341234, or 138****1234 where allowed."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    reason = forms.CharField(
        label=gettext_lazy("Why is this customer yours?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    evidence = MultipleFileField(
        label=gettext_lazy("Evidence"),
        required=False,
        help_text=gettext_lazy(
            "Photos or screenshots (JPEG, PNG, GIF, WebP) or PDFs, up to 5 MB each, at most 9."
        ),
    )
    subject = forms.ChoiceField(
        choices=AppealSubject.choices, required=False, widget=forms.HiddenInput
    )
    registration = forms.IntegerField(required=False, widget=forms.HiddenInput)
    visit = forms.IntegerField(required=False, widget=forms.HiddenInput)
    signing = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = project_active_list()

    @property
    def linked(self) -> bool:
        """The appeal is about a record the channel picked (its customer is known)."""
        source = self.data if self.is_bound else self.initial
        return any(source.get(name) for name in LINKS)


def appeal_initial(request) -> dict:
    """What a link to the form prefills: ?project=&phone=&subject=, or the record it is about."""
    query = request.GET
    initial = {"subject": query.get("subject") or AppealSubject.CUSTOMER}
    if query.get("project", "").isdigit():
        initial["project"] = int(query["project"])
    if query.get("phone"):
        initial["customer_phone"] = query["phone"][:20]
    for name in LINKS:
        if query.get(name, "").isdigit():
            initial[name] = int(query[name])
    return initial


def appeal_from_form(*, form: AppealForm, actor) -> Appeal | None:
    """The appeal the valid form asked for, through the service; None when refused (the
    reasons are on the form's fields)."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        return appeal_file(
            actor=actor,
            project=data["project"],
            customer_phone=data["customer_phone"],
            subject=data["subject"] or AppealSubject.CUSTOMER,
            reason=data["reason"],
            evidence=data["evidence"],
            **{name: data[name] for name in LINKS},
        )
    except ValidationError as exc:
        add_service_errors(form, exc, {name: "customer_phone" for name in LINKS})
        return None


@dataclass(frozen=True)
class ChannelUrls:
    """A channel's URL names for its appeal pages, and the heading its pages include."""

    list: str
    new: str
    detail: str
    evidence: str
    heading: str
    head: str = ""


def appeal_new_page(request, *, urls: ChannelUrls):
    """File an appeal: prefilled from the link that led here; on success, the appeal's page."""
    form = AppealForm(request.POST or None, request.FILES or None, initial=appeal_initial(request))
    if request.method == "POST":
        appeal = appeal_from_form(form=form, actor=request.user)
        if appeal is not None:
            messages.success(request, _("Your appeal is filed. A channel manager will decide it."))
            return redirect(urls.detail, appeal.pk)
    context = {
        "form": form,
        "urls": urls,
        "max_files": settings.APPEAL_EVIDENCE_MAX_FILES,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/channel/appeal_form.html", context, status=status)


def _shown_phone(request, appeal: Appeal) -> str:
    """A partner reads phones masked, even the one it typed."""
    phone = appeal.customer_phone
    return mask_phone(phone) if can(request.user, "masked_phones_only") else phone


def appeal_list_page(request, *, urls: ChannelUrls):
    """My appeals, newest first, with their status and decision."""
    status = request.GET.get("status", "")
    rows = appeal_list(user=request.user)
    if status in ("open", "upheld", "rejected"):
        rows = rows.filter(status=status)
    page = list_page(request, rows, per_page=PAGE_SIZE)
    for appeal in page:
        appeal.shown_phone = _shown_phone(request, appeal)
    context = {
        "page": page,
        "query": query_without_page(request),
        "urls": urls,
        "status": status,
    }
    return render(request, "portal/channel/appeal_list.html", context)


def appeal_detail_page(request, pk: int, *, urls: ChannelUrls):
    """One of my appeals: what I said, my evidence, its status, the decision and its note."""
    appeal = appeal_get(user=request.user, pk=pk)
    if appeal is None:
        raise Http404
    appeal.shown_phone = _shown_phone(request, appeal)
    return render(request, "portal/channel/appeal_detail.html", {"appeal": appeal, "urls": urls})


def appeal_evidence_download(request, pk: int):
    """One evidence file of one of my appeals (404 for any other)."""
    evidence = appeal_evidence_get(user=request.user, pk=pk)
    if evidence is None:
        raise Http404
    return evidence_response(evidence)
