"""The upload of a final review's signed copy (the service checks the PDF itself)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..documents.signed import max_bytes, too_large
from ..models import SignedCopy


class SignedCopyForm(forms.Form):
    file = forms.FileField(
        label=_("Signed copy (PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    reason = forms.CharField(
        label=_("Reason for the replacement"),
        required=False,
        max_length=SignedCopy._meta.get_field("reason").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when a copy is already kept: it stays, and this one replaces it."),
    )

    def clean_file(self):
        """Refuses an oversized file by its declared size, before reading it."""
        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise forms.ValidationError(too_large().message)
        return upload
