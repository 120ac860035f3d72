"""A final review's signed copy: uploaded by reviewers after finalising, checked to be a readable
PDF (not encrypted, not over SIGNED_COPY_MAX_MB), kept under MEDIA_ROOT and served only through
a view with the review's access rules; replaced with a reason, never deleted; what pyHanko reads
of its digital signatures is shown."""

import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError
from django.urls import reverse

from reviews.models import SignedCopy
from reviews.services.programme_reviews import finalise_review
from reviews.services.signed_copies import (
    SignedCopyRefused,
    current_signed_copy,
    upload_signed_copy,
)

from . import factories, pdf_signing


@pytest.fixture
def review(db, enterprise_a, enterprise_b):
    return factories.printed_review([enterprise_a, enterprise_b])


@pytest.fixture
def final_review(review, reviewer):
    finalise_review(review=review, user=reviewer)
    review.refresh_from_db()
    return review


def upload(client, user, review, content: bytes, name="bao-cao-da-ky.pdf", reason=""):
    client.force_login(user)
    return client.post(
        reverse("signed_copy_upload", args=[review.pk]),
        {"file": SimpleUploadedFile(name, content, "application/pdf"), "reason": reason},
        follow=True,
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_a_reviewer_uploads_a_signed_pdf_and_its_signature_is_read(
    client, reviewer, final_review, settings
):
    content = pdf_signing.signed_pdf("Trần Minh Đức")
    response = upload(client, reviewer, final_review, content)
    assert messages_of(response) == ["The signed copy is kept with the review."]
    copy = SignedCopy.objects.get(review=final_review)
    assert (copy.uploaded_by, copy.original_name, copy.size) == (
        reviewer,
        "bao-cao-da-ky.pdf",
        len(content),
    )
    assert copy.sha256 == hashlib.sha256(content).hexdigest()
    stored = Path(copy.file.path)
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT) / "signed")
    assert stored.read_bytes() == content
    [signature] = copy.signatures
    assert signature["signer"] == "Trần Minh Đức"
    assert signature["intact"] and signature["unchanged"]
    page = response.content.decode()
    assert "Digitally signed by Trần Minh Đức" in page
    assert "unchanged since signing" in page
    assert reverse("signed_copy_file", args=[final_review.pk, copy.pk]) in page


def test_a_copy_changed_after_signing_says_so(reviewer, final_review):
    content = pdf_signing.changed_after_signing(pdf_signing.signed_pdf())
    copy = upload_signed_copy(review=final_review, user=reviewer, name="a.pdf", data=content)
    assert [(s["intact"], s["unchanged"]) for s in copy.signatures] == [(True, False)]


def test_a_tampered_signature_is_not_intact(reviewer, final_review):
    content = bytearray(pdf_signing.signed_pdf())
    content[content.index(b"BAO CAO")] = ord("X")  # inside the signed bytes
    copy = upload_signed_copy(review=final_review, user=reviewer, name="a.pdf", data=bytes(content))
    assert [(s["intact"], s["unchanged"]) for s in copy.signatures] == [(False, False)]


def test_a_scan_has_no_signature(client, reviewer, final_review):
    response = upload(client, reviewer, final_review, pdf_signing.plain_pdf())
    assert SignedCopy.objects.get().signatures == []
    assert "No digital signature (a scanned copy)." in response.content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"GIF89a not a pdf", "The file is not a PDF."),
        (b"%PDF-1.7\nbroken beyond reading", "The file is not a PDF that can be read."),
        (
            "encrypted",
            "The PDF is encrypted: upload a copy without a password or restrictions.",
        ),
    ],
)
def test_what_is_not_a_readable_pdf_is_refused(client, reviewer, final_review, content, message):
    if content == "encrypted":
        content = pdf_signing.encrypted_pdf()
    response = upload(client, reviewer, final_review, content)
    assert messages_of(response) == [message]
    assert not SignedCopy.objects.exists()


def test_a_file_over_the_size_is_refused(client, reviewer, final_review, settings):
    settings.SIGNED_COPY_MAX_MB = 1
    content = pdf_signing.plain_pdf() + b"%" * (1024 * 1024)
    response = upload(client, reviewer, final_review, content)
    assert messages_of(response) == ["The file is larger than 1 MB."]
    assert not SignedCopy.objects.exists()
    with pytest.raises(SignedCopyRefused, match="larger than 1 MB"):
        upload_signed_copy(review=final_review, user=reviewer, name="a.pdf", data=content)


def test_a_draft_has_no_signed_copy(client, reviewer, review):
    response = upload(client, reviewer, review, pdf_signing.plain_pdf())
    assert messages_of(response) == ["Only a final review has a signed copy: finalise it first."]
    assert not SignedCopy.objects.exists()
    assert "Upload the signed copy" not in response.content.decode()


def test_officials_may_not_upload(client, official_a, final_review):
    client.force_login(official_a)
    response = client.post(
        reverse("signed_copy_upload", args=[final_review.pk]),
        {"file": SimpleUploadedFile("a.pdf", pdf_signing.plain_pdf(), "application/pdf")},
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        upload_signed_copy(
            review=final_review, user=official_a, name="a.pdf", data=pdf_signing.plain_pdf()
        )
    assert not SignedCopy.objects.exists()


def test_a_replacement_needs_a_reason_and_keeps_the_first(client, reviewer, final_review):
    first = upload_signed_copy(
        review=final_review, user=reviewer, name="first.pdf", data=pdf_signing.plain_pdf()
    )
    response = upload(client, reviewer, final_review, pdf_signing.signed_pdf(), name="second.pdf")
    assert messages_of(response) == ["Say why this copy replaces the one kept."]
    assert SignedCopy.objects.count() == 1
    response = upload(
        client,
        reviewer,
        final_review,
        pdf_signing.signed_pdf(),
        name="second.pdf",
        reason="Bản ký số thay bản quét.",
    )
    second = current_signed_copy(final_review)
    assert second.original_name == "second.pdf"
    assert (second.replaces, second.reason) == (first, "Bản ký số thay bản quét.")
    assert Path(first.file.path).is_file()
    page = response.content.decode()
    assert page.index("second.pdf") < page.index("first.pdf")
    assert "Bản ký số thay bản quét." in page


def test_a_signed_copy_is_never_deleted(reviewer, final_review):
    copy = factories.signed_copy_of(final_review)
    with pytest.raises(PermissionDenied):
        copy.delete()
    with pytest.raises(ProtectedError):
        final_review.delete()
    assert SignedCopy.objects.filter(pk=copy.pk).exists()


def test_the_admin_shows_but_never_deletes(client, administrator, final_review):
    copy = factories.signed_copy_of(final_review)
    client.force_login(administrator)
    change = reverse("admin:reviews_signedcopy_change", args=[copy.pk])
    assert client.get(change).status_code == 200
    delete = reverse("admin:reviews_signedcopy_delete", args=[copy.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert SignedCopy.objects.filter(pk=copy.pk).exists()


def test_the_file_is_served_by_its_view_only(client, official_b, final_review, settings):
    content = pdf_signing.plain_pdf()
    copy = factories.signed_copy_of(final_review, content=content)
    url = reverse("signed_copy_file", args=[final_review.pk, copy.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(official_b)  # reviews are joint documents: everyone logged in reads them
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content) == content
    other = factories.ProgrammeReviewFactory()
    assert client.get(reverse("signed_copy_file", args=[other.pk, copy.pk])).status_code == 404
    assert client.get("/media/" + copy.file.name).status_code == 404
    assert client.get("/static/" + copy.file.name).status_code == 404
    assert not Path(settings.MEDIA_ROOT).is_relative_to(Path(settings.STATIC_ROOT))
