"""Issue 12, items 6 and 12: what stored text may hold.

6. The enterprise form took `\\x0b` and `\\x1f` in a name; then the zone's import template,
   `/enterprises/import/?zone=<zone>&year=2024`, answered 500 (IllegalCharacterError) for
   everyone until the name was fixed. Every text field refuses control characters (tab and
   line breaks only in text of several lines), and the exports, the import template and the PDF
   write text already stored with them.
12. 5.9 MB of `notes` was accepted; the enterprise page became 5.9 MB and its history 7.9 MB.
   Every free-text field is capped, in the form and in the database."""

import io

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from openpyxl import load_workbook

from coordination.text import cut_to_caps, lines, one_line
from enterprises.models import NOTES_LENGTH, Enterprise, tax_code_validator
from reviews.models import AnnualReturn
from reviews.services.programme_reviews import finalise_review

from . import factories
from .test_admin import factory_for
from .test_bad_input import csv_rows, enterprise_data, enterprise_edit_data, xlsx_rows

PROJECT_APPS = ("coordination", "enterprises", "reviews")
STORED_WITH_CONTROLS = "Công ty\x0b Điện\x1f tử\x01\x85"
"""What the attacker typed, and two more (one of C1), as text stored before the rule
(PostgreSQL stores no NUL at all)."""
TYPED = "Công\x0bty\x1fĐiện"
"""Inside the text: at its ends, forms strip them (Python counts \x0b and \x1f as blanks)."""


def edited_text_fields():
    """Every text field people type into, of every model of the project's apps (not the
    history's copies, not choices, not the derived search text)."""
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models():
            if hasattr(model, "instance_type"):  # a historical model
                continue
            for field in model._meta.get_fields():
                if (
                    isinstance(field, models.CharField | models.TextField)
                    and field.editable
                    and not field.choices
                    and not isinstance(field, models.EmailField)
                ):
                    yield pytest.param(model, field, id=f"{model._meta.label}.{field.name}")


TEXT_FIELDS = list(edited_text_fields())
CAPPED_FIELDS = [param for param in TEXT_FIELDS if isinstance(param.values[1], models.TextField)]


# 6. Control characters


@pytest.mark.parametrize(("model", "field"), TEXT_FIELDS)
def test_every_text_field_refuses_control_characters(model, field):
    """Text of several lines by `lines`, a line by `one_line` (a tax code by its own, stricter
    pattern)."""
    if isinstance(field, models.TextField):
        assert lines in field.validators
    else:
        assert one_line in field.validators or tax_code_validator in field.validators


@pytest.mark.parametrize("character", ["\x0b", "\x1f", "\x00", "\x7f", "\x85", "\t", "\n"])
def test_a_line_refuses_every_control_character(character):
    with pytest.raises(Exception, match="control characters"):
        one_line(f"a{character}b")


@pytest.mark.parametrize("character", ["\x0b", "\x1f", "\x00", "\x7f", "\x85"])
def test_text_of_several_lines_refuses_them_but_tabs_and_line_breaks(character):
    lines("a\tb\r\nc\nd")
    with pytest.raises(Exception, match="control characters"):
        lines(f"a{character}b")


@pytest.fixture
def as_official(client, official_a):
    client.force_login(official_a)
    return client


def test_the_attackers_name_is_refused_on_the_form(as_official, zone_a):
    response = as_official.post(reverse("enterprise_create"), enterprise_data(zone_a, name=TYPED))
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        "Remove the invisible control characters (often pasted in from another program)."
    ]
    assert not Enterprise.objects.exists()


def test_notes_keep_their_tabs_and_line_breaks(as_official, enterprise_a):
    notes = "Dòng một\r\nDòng\thai"
    response = as_official.post(
        reverse("enterprise_edit", args=[enterprise_a.pk]),
        enterprise_edit_data(enterprise_a, notes=notes),
    )
    assert response.status_code == 302
    enterprise_a.refresh_from_db()
    assert enterprise_a.notes == notes


def test_an_imported_name_with_control_characters_is_a_cell_error(as_official, zone_a):
    content = f"tax_code,name,ownership\n5300999999,{TYPED},private\n".encode()
    response = as_official.post(
        reverse("enterprise_import"),
        {"zone": zone_a.pk, "file": SimpleUploadedFile("e.csv", content)},
    )
    [error] = response.context["plan"].errors
    assert "control characters" in str(error) and "(name)" in str(error)


def test_a_reason_for_returning_refuses_them(client, reviewer, enterprise_a):
    annual_return = factories.AnnualReturnFactory(
        enterprise=enterprise_a, year=2024, status="submitted"
    )
    client.force_login(reviewer)
    client.post(
        reverse("return_review", args=[enterprise_a.pk, 2024]),
        {"action": "return", "seen_version": annual_return.version, "return_reason": TYPED},
    )
    annual_return.refresh_from_db()
    assert annual_return.status == AnnualReturn.Status.SUBMITTED


@pytest.fixture
def stored_with_controls(enterprise_a):
    """An enterprise whose name, address and notes hold control characters, as saved before
    the rule (straight into the database)."""
    Enterprise.objects.filter(pk=enterprise_a.pk).update(
        name=STORED_WITH_CONTROLS, address=STORED_WITH_CONTROLS, notes=STORED_WITH_CONTROLS
    )
    factories.AnnualReturnFactory(enterprise=enterprise_a, year=2024, status="accepted")
    return enterprise_a


def test_the_import_template_writes_them(as_official, stored_with_controls):
    """The attacker's address: it answered 500 until the name was fixed."""
    response = as_official.get(
        reverse("enterprise_import"), {"zone": stored_with_controls.zone_id, "year": 2024}
    )
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    names = [row[2] for row in workbook.active.iter_rows(min_row=2, values_only=True)]
    assert names == ["Công ty Điện tử\x85"]
    reference = workbook.worksheets[-1]
    assert "Công ty Điện tử\x85" in [cell.value for cell in reference["B"]]


@pytest.mark.parametrize("read", [csv_rows, xlsx_rows], ids=["csv", "xlsx"])
def test_the_enterprise_export_writes_them(as_official, stored_with_controls, read):
    file_format = "csv" if read is csv_rows else "xlsx"
    response = as_official.get(reverse("enterprise_list"), {"year": 2024, "_export": file_format})
    [row] = read(response)
    assert row["name"].startswith("Công ty")


def test_the_report_and_its_pdf_print_them(client, reviewer):
    programme = factories.joint_programme()
    review = factories.written_review(programme)
    type(review).objects.filter(pk=review.pk).update(summary=STORED_WITH_CONTROLS)
    review.sections.update(results=STORED_WITH_CONTROLS)
    client.force_login(reviewer)
    assert client.get(reverse("review_report", args=[review.pk])).status_code == 200
    pdf = client.get(reverse("review_report_pdf", args=[review.pk]))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    finalise_review(review=review, user=reviewer)
    assert client.get(reverse("review_report_pdf", args=[review.pk])).status_code == 200


# 12. Caps


def test_the_attackers_notes_are_refused(as_official, enterprise_a):
    """5.9 MB of notes: refused at the field, nothing saved, and the page stays small."""
    response = as_official.post(
        reverse("enterprise_edit", args=[enterprise_a.pk]),
        enterprise_edit_data(enterprise_a, notes="x" * 5_900_000),
    )
    assert response.context["form"].errors["notes"] == [
        f"Ensure this value has at most {NOTES_LENGTH} characters (it has 5900000)."
    ]
    enterprise_a.refresh_from_db()
    assert enterprise_a.notes == ""
    assert enterprise_a.history.count() == 1


def test_the_notes_field_tells_the_browser_its_cap(as_official, enterprise_a):
    page = as_official.get(reverse("enterprise_edit", args=[enterprise_a.pk])).content.decode()
    assert f'maxlength="{NOTES_LENGTH}"' in page


@pytest.mark.parametrize(("model", "field"), CAPPED_FIELDS)
def test_every_free_text_field_is_capped_in_the_form_and_the_database(db, model, field):
    """The form takes max_length; the database refuses a character more (a TextField's
    max_length binds forms only), whatever the path of the write."""
    limit = field.max_length
    assert limit and limit <= 20_000
    assert field.formfield().max_length == limit
    obj = factory_for(model)()
    rows = model._default_manager.filter(pk=obj.pk)
    rows.update(**{field.name: "x" * limit})
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.update(**{field.name: "x" * (limit + 1)})


def test_text_stored_before_the_caps_is_cut_to_them_by_the_migration(enterprise_a):
    """The migration that adds the checks first cuts longer text (shown on the history's
    table, which has no check); the history keeps the whole text."""
    history = enterprise_a.history.model
    history.objects.update(notes="x" * 50)
    cut_to_caps(history, {"notes": 20})
    assert set(history.objects.values_list("notes", flat=True)) == {"x" * 20}
