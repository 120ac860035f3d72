"""Properties of the forms and the import over generated input (hypothesis): the return form
accepts exactly the figures that keep the hard rules, the tax code check is exactly its
pattern, an import with any bad row writes nothing (and one without writes every row), and
search folding is idempotent and leaves no diacritic, and no value of any GET parameter of any
page is answered with a server error.

The examples share one test's database. Those that only read need nothing more; the import's
examples write, so each runs in a savepoint that it rolls back."""

import csv
import io
import re
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import MaxValueValidator
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enterprises.forms import EnterpriseForm, EnterpriseImportRowForm
from enterprises.imports.applying import apply_import
from enterprises.imports.reading import read_upload, restore_text
from enterprises.models import Enterprise, fold_for_search
from reviews.forms.returns import AnnualReturnForm
from reviews.models import COUNT_FIELDS, AnnualReturn

from . import factories

PROPERTY = settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
"""Function-scoped fixtures are safe here: an example either only reads them or rolls its own
writes back. No example database is written into the working tree."""

MAX_COUNT = next(
    validator.limit_value
    for validator in AnnualReturn._meta.get_field("employees").validators
    if isinstance(validator, MaxValueValidator)
)
PARTS_OF_WHOLES = (
    ("female_employees", "employees"),
    ("new_party_members", "party_members"),
    ("new_members_owners", "new_party_members"),
)


# The return form


def return_form(enterprise, figures: dict) -> AnnualReturnForm:
    """A new return's form with the figures and an explanation, so that only hard rules (not
    the soft warnings) decide whether it is valid."""
    data = {name: str(value) for name, value in figures.items()} | {"explanation": "Checked."}
    return AnnualReturnForm(
        data, instance=AnnualReturn(enterprise=enterprise, year=2024), organisations=[]
    )


counts = st.one_of(
    st.integers(min_value=-3, max_value=60),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.sampled_from([MAX_COUNT, MAX_COUNT + 1]),
)


def breaks_a_hard_rule(figures: dict) -> bool:
    return any(not 0 <= value <= MAX_COUNT for value in figures.values()) or any(
        figures[part] > figures[whole] for part, whole in PARTS_OF_WHOLES
    )


@PROPERTY
@given(figures=st.fixed_dictionaries(dict.fromkeys(COUNT_FIELDS, counts)))
def test_the_return_form_accepts_exactly_the_figures_that_keep_the_hard_rules(
    enterprise_a, figures
):
    form = return_form(enterprise_a, figures)
    assert form.is_valid() is not breaks_a_hard_rule(figures), form.errors
    for part, whole in PARTS_OF_WHOLES:
        if 0 <= figures[whole] < figures[part] <= MAX_COUNT:
            assert part in form.errors, (part, figures)


@st.composite
def valid_figures(draw) -> dict:
    """Any figures that keep the hard rules: each part drawn within its whole."""
    figures = {name: draw(st.integers(0, MAX_COUNT)) for name in COUNT_FIELDS}
    for part, whole in PARTS_OF_WHOLES:  # in order: new_party_members before its own part
        figures[part] = draw(st.integers(0, figures[whole]))
    return figures


@PROPERTY
@given(figures=valid_figures())
def test_the_return_form_always_accepts_valid_figures(enterprise_a, figures):
    form = return_form(enterprise_a, figures)
    assert form.is_valid(), form.errors
    assert {name: form.cleaned_data[name] for name in COUNT_FIELDS} == figures


@PROPERTY
@given(
    field=st.sampled_from(COUNT_FIELDS),
    text=st.text(st.characters(exclude_categories=["Nd", "Cs"]), max_size=12),
)
def test_a_count_without_digits_is_always_refused_at_its_field(enterprise_a, field, text):
    figures = dict.fromkeys(COUNT_FIELDS, 0) | {field: text}
    form = return_form(enterprise_a, figures)
    assert not form.is_valid()
    assert field in form.errors


# The tax code


TAX_CODE = re.compile(r"[0-9]{10}(?:-[0-9]{3})?")
"""The rule as people are told it, to be matched in full: ten ASCII digits, optionally a dash
and three more for a branch."""
DIGITS = "0123456789١٣２"
"""ASCII digits, and Arabic-Indic and full-width ones, which regular expressions' \\d takes."""
tax_code_shapes = st.builds(
    "{}{}{}{}".format,
    st.one_of(
        st.text("0123456789", min_size=9, max_size=11), st.text(DIGITS, min_size=10, max_size=10)
    ),
    st.sampled_from(["", "-", "–", "_", " ", "."]),
    st.one_of(
        st.text("0123456789", min_size=2, max_size=4), st.text(DIGITS, min_size=3, max_size=3)
    ),
    st.sampled_from(["", "\n", " ", "\u00a0", "\x00", "x"]),
)
"""Ten digits and a branch, give or take a digit, a kind of digit, the dash, or a trailing
character."""
tax_codes = st.one_of(
    st.from_regex(TAX_CODE, fullmatch=True), tax_code_shapes, st.text(max_size=16)
)


def accepts(clean, value) -> bool:
    try:
        clean(value)
    except ValidationError:
        return False
    return True


@settings(max_examples=200, deadline=None, database=None)
@given(tax_code=tax_codes)
def test_the_model_and_the_import_check_the_tax_code_exactly_by_its_pattern(tax_code):
    """The model's field (behind the admin and every save through full_clean) takes the text
    as it is; the import's row form strips surrounding blanks, as for every text field."""
    model_field = Enterprise._meta.get_field("tax_code")
    assert accepts(lambda value: model_field.clean(value, None), tax_code) is bool(
        TAX_CODE.fullmatch(tax_code)
    )
    import_field = EnterpriseImportRowForm().fields["tax_code"]
    assert accepts(import_field.clean, tax_code) is bool(TAX_CODE.fullmatch(tax_code.strip()))


@PROPERTY
@given(tax_code=tax_codes)
def test_the_enterprise_form_checks_the_tax_code_exactly_by_its_pattern(
    zone_a, administrator, tax_code
):
    form = EnterpriseForm(
        {
            "name": "Công ty",
            "tax_code": tax_code,
            "zone": zone_a.pk,
            "ownership": "private",
            "status": "operating",
        },
        user=administrator,
    )
    form.is_valid()
    assert ("tax_code" not in form.errors) is bool(TAX_CODE.fullmatch(tax_code.strip()))


# The import


ROW_FAULTS = {
    "tax code of the wrong shape": {"tax_code": "53001234"},
    "name missing": {"name": ""},
    "ownership unknown": {"ownership": "cooperative"},
    "status unknown": {"status": "dormant"},
    "date that does not exist": {"founded_on": "2023-02-30"},
    "closed before founded": {"founded_on": "2020-05-01", "closed_on": "2020-04-30"},
    "phone too long": {"phone": "0" * 33},
}
names = st.text(
    st.characters(exclude_categories=["Cs", "Cc", "Zl", "Zp"]), min_size=1, max_size=40
).filter(str.strip)


@st.composite
def import_rows(draw) -> tuple[list[dict], bool]:
    """One to five rows of new enterprises with distinct tax codes; maybe a fault in one of
    them (or a tax code repeated from another row). Returns the rows and whether any is bad."""
    count = draw(st.integers(1, 5))
    codes = draw(
        st.lists(
            st.from_regex(r"53[0-9]{8}", fullmatch=True),
            min_size=count,
            max_size=count,
            unique=True,
        )
    )
    rows = [
        {
            "tax_code": code,
            "name": draw(names),
            "ownership": draw(st.sampled_from(Enterprise.Ownership.values)),
            "status": draw(st.sampled_from(Enterprise.Status.values)),
            "founded_on": draw(st.sampled_from(["", "2015-01-01", "01/02/2016"])),
            "closed_on": "",
            "phone": "",
        }
        for code in codes
    ]
    fault = draw(st.sampled_from([None, "repeated tax code", *ROW_FAULTS]))
    if fault is None or (fault == "repeated tax code" and count == 1):
        return rows, False
    index = draw(st.integers(0, count - 1))
    if fault == "repeated tax code":
        rows[index]["tax_code"] = rows[index - 1]["tax_code"]
    else:
        rows[index].update(ROW_FAULTS[fault])
    return rows, True


def csv_upload(rows: list[dict]) -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile("enterprises.csv", buffer.getvalue().encode("utf-8"))


@PROPERTY
@given(generated=import_rows())
def test_an_import_writes_every_row_or_none(zone_a, official_a, enterprise_a, generated):
    rows, any_bad = generated
    with transaction.atomic():
        before = set(Enterprise.objects.values_list("pk", "version"))
        upload = read_upload(csv_upload(rows))
        plan = apply_import(upload=upload, zone=zone_a, user=official_a)
        assert bool(plan.errors) is any_bad, [str(error) for error in plan.errors]
        if any_bad:
            assert set(Enterprise.objects.values_list("pk", "version")) == before
            assert not Enterprise.history.filter(tax_code__in=[r["tax_code"] for r in rows])
        else:
            stored = dict(Enterprise.objects.filter(zone=zone_a).values_list("tax_code", "name"))
            assert {row["tax_code"]: stored.get(row["tax_code"]) for row in rows} == {
                row["tax_code"]: restore_text(row["name"].strip()) for row in rows
            }
        transaction.set_rollback(True)


# Search folding


@settings(max_examples=300, deadline=None, database=None)
@given(text=st.text())
def test_folding_is_idempotent_and_leaves_no_diacritic(text):
    folded = fold_for_search(text)
    assert fold_for_search(folded) == folded
    decomposed = unicodedata.normalize("NFKD", folded)
    assert not [char for char in decomposed if unicodedata.combining(char)]
    assert "đ" not in folded and "Đ" not in folded
    assert folded == folded.casefold()


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Công ty Điện tử Bắc Duyên Hải", "cong ty dien tu bac duyen hai"), ("ĐƯỜNG", "duong")],
)
def test_folding_vietnamese_gives_plain_ascii(text, folded):
    """The examples behind the property: Vietnamese letters fold to their base letters."""
    assert fold_for_search(text) == folded


# Every GET parameter of every page


def _page_parameters() -> dict[str, list[str]]:
    """Each page that reads its query string, with every parameter it reads; the filter forms'
    parameters are their fields."""
    from enterprises.filters import EnterpriseFilter
    from enterprises.forms import ImportTemplateForm
    from reviews.forms.returns import ReturnQueueFilterForm

    return {
        "dashboard": ["year", "zones"],
        "gaps": ["year", "gap", "zone", "page", "_export"],
        "enterprise_list": [*EnterpriseFilter.base_filters, "sort", "page", "_export"],
        "enterprise_import": [*ImportTemplateForm.base_fields],
        "return_list": [*ReturnQueueFilterForm.base_fields, "page"],
        "review_report": ["_export"],
        "two_factor_setup": ["next"],
        "two_factor_verify": ["next"],
    }


PAGE_PARAMETERS = _page_parameters()
query_values = st.one_of(
    st.text(max_size=12),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(
        ["²", "١٢", "２０２４", "2024", "2023", "0", "9" * 5000, " 7", "1e3", "yes", "all"]
    ),
    st.sampled_from(["csv", "xlsx", "name", "-zone", "party", "eligible_without_party_org"]),
)


@pytest.fixture
def page_records(enterprise_a, official_a):
    programme = factories.joint_programme()
    factories.AnnualReturnFactory(enterprise=enterprise_a, year=2024, status="accepted")
    return {"review_report": [factories.ProgrammeReviewFactory(programme=programme).pk]}


@pytest.mark.parametrize("page", PAGE_PARAMETERS)
def test_every_get_parameter_of_every_page_never_gives_a_500(
    client, official_a, page_records, page
):
    """Any value of any of a page's parameters is answered (ignored, refused with 400 or a form
    error), never with a server error; a download is read to its end."""
    client.force_login(official_a)
    address = reverse(page, args=page_records.get(page, []))

    @PROPERTY
    @given(query=st.dictionaries(st.sampled_from(PAGE_PARAMETERS[page]), query_values, max_size=4))
    def answers(query):
        response = client.get(address, query)
        if response.streaming:
            b"".join(response.streaming_content)
        assert response.status_code < 500, (address, query)

    answers()
