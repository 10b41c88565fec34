"""The office's appeal forms: a decision (a note, required either way) and a comment. They carry
input only; the appeal services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _


class AppealDecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Decision note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The appellant reads it. Required to uphold or reject."),
    )


class AppealCommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For the office only: the appellant does not read comments."),
    )
