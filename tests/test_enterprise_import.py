"""The spreadsheet import: a template pre-filled for a zone, a preview of new, changed and
unchanged rows with every error by sheet, row and column, and an apply that is all or nothing."""

import datetime
import io
import zipfile

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from coordination.cache import ANY_YEAR
from coordination.versioning import StaleEdit
from enterprises.imports import applying
from enterprises.models import Enterprise
from enterprises.services import (
    RuleBroken,
    create_enterprise,
    create_enterprises,
    update_enterprise,
    update_enterprises,
)
from reviews.models import FigureTotals
from reviews.totals import rebuild_totals

from . import factories

URL = reverse("enterprise_import")
HEADER = ["id", "tax_code", "name", "ownership", "status", "founded_on", "phone"]


def xlsx(rows, header=HEADER, title="Enterprises") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("enterprises.xlsx", buffer.getvalue())


def csv_file(text: str, name="enterprises.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"))


@pytest.fixture
def client_a(client, official_a):
    client.force_login(official_a)
    return client


def upload(client, zone, file):
    return client.post(URL, {"zone": zone.pk, "file": file})


def confirm(client, response):
    return client.post(URL, {"token": response.context["token"]}, follow=True)


def errors(response) -> list[str]:
    return [str(error) for error in response.context["plan"].errors]


class TestTemplate:
    def test_it_lists_the_zones_enterprises_with_ids_and_text_tax_codes(
        self, client_a, zone_a, enterprise_a, enterprise_b
    ):
        leading_zero = factories.EnterpriseFactory(zone=zone_a, tax_code="0100109106", name="Zero")
        factories.AnnualReturnFactory(enterprise=enterprise_a, year=2024, employees=321)
        response = client_a.get(URL, {"zone": zone_a.pk, "year": 2024})
        assert response["Content-Disposition"].startswith("attachment;")
        workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        sheet = workbook["Enterprises"]
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][:3] == ("id", "tax_code", "name")
        by_name = {row[2]: row for row in rows[1:]}
        assert set(by_name) == {enterprise_a.name, "Zero"}
        assert by_name["Zero"][:2] == (leading_zero.pk, "0100109106")
        assert sheet.cell(row=2, column=2).number_format == "@"
        reference = list(workbook["Returns 2024"].iter_rows(values_only=True))
        assert reference[1][:4] == (enterprise_a.tax_code, enterprise_a.name, "draft", 321)

    def test_a_zone_outside_the_scope_gives_no_template(self, client_a, zone_b):
        response = client_a.get(URL, {"zone": zone_b.pk, "year": 2024})
        assert response["Content-Type"].startswith("text/html")
        assert "zone" in response.context["template_form"].errors

    def test_the_downloaded_template_imports_unchanged(self, client_a, zone_a, enterprise_a):
        factories.EnterpriseFactory(zone=zone_a, name="=SUM(A1)", tax_code="0100109106")
        response = client_a.get(URL, {"zone": zone_a.pk, "year": 2024})
        file = SimpleUploadedFile("t.xlsx", b"".join(response.streaming_content))
        preview = upload(client_a, zone_a, file)
        plan = preview.context["plan"]
        assert plan.errors == []
        assert len(plan.unchanged_rows) == 2


class TestPreview:
    def test_new_changed_and_unchanged_rows(self, client_a, zone_a, enterprise_a):
        same = factories.EnterpriseFactory(zone=zone_a, name="Same", phone="0214 1")
        rows = [
            [None, "5300999999", "Công ty Mới", "fdi", "operating", "2021-02-03", "0214 9"],
            [
                enterprise_a.pk,
                enterprise_a.tax_code,
                enterprise_a.name,
                "private",
                "suspended",
                "2015-01-01",
                "0214 2",
            ],
            [same.pk, same.tax_code, "Same", "private", "operating", "2015-01-01", "0214 1"],
        ]
        response = upload(client_a, zone_a, xlsx(rows))
        plan = response.context["plan"]
        assert plan.errors == []
        assert [row.tax_code for row in plan.new_rows] == ["5300999999"]
        assert [(row.tax_code, row.changed) for row in plan.changed_rows] == [
            (enterprise_a.tax_code, ["Status", "Phone"])
        ]
        assert [row.name for row in plan.unchanged_rows] == ["Same"]
        assert not Enterprise.objects.filter(tax_code="5300999999").exists()
        assert "Confirm the import" in response.content.decode()

    def test_every_error_is_named_by_sheet_row_and_column(self, client_a, zone_a, enterprise_b):
        rows = [
            [None, "12345", "Too short", "private", "operating", None, None],
            [None, "5300999998", "", "private", "operating", None, None],
            [None, "5300999997", "", "cooperative", "operating", "31/02/2021", None],
            [None, enterprise_b.tax_code, "Other zone", "private", "operating", None, None],
            [None, "5300999996", "Phone as number", "private", "operating", None, 912345678],
            [None, "5300999998", "Twice", "private", "operating", None, None],
            [777, "5300999995", "Wrong id", "private", "operating", None, None],
        ]
        response = upload(client_a, zone_a, xlsx(rows))
        found = errors(response)
        assert found == [
            "Sheet “Enterprises”, row 2, column B (tax_code): The tax code 12345 lost its "
            "leading zeros; format the column as text and type it again.",
            "Sheet “Enterprises”, row 3, column C (name): This field is required.",
            "Sheet “Enterprises”, row 4, column C (name): This field is required.",
            "Sheet “Enterprises”, row 4, column D (ownership): “cooperative” is not one of: "
            "state, private, fdi, joint_venture.",
            "Sheet “Enterprises”, row 4, column F (founded_on): “31/02/2021” is not a date "
            "(YYYY-MM-DD or DD/MM/YYYY).",
            "Sheet “Enterprises”, row 5, column B (tax_code): This tax code belongs to an "
            "enterprise outside the zones you may change.",
            "Sheet “Enterprises”, row 6, column G (phone): The phone number came back as a "
            "number (its leading zero is lost); format the column as text.",
            "Sheet “Enterprises”, row 7, column B (tax_code): This tax code is also on row 3.",
            "Sheet “Enterprises”, row 8, column A (id): The id does not belong to the "
            "enterprise with this tax code; rows are matched by tax code (change a tax code in "
            "the enterprise's form).",
        ]
        assert response.context["token"] == ""
        assert "Confirm the import" not in response.content.decode()

    def test_the_enterprise_rules_apply_to_every_row(self, client_a, zone_a):
        text = (
            "tax_code,name,ownership,founded_on,closed_on,email\n"
            "5300A12345,Bad code,private,,,\n"
            "5300123456,Bad dates,private,2020-01-01,2019-01-01,\n"
            "5300123457,Bad email,private,,,not-an-email\n"
        )
        assert errors(upload(client_a, zone_a, csv_file(text))) == [
            "Sheet “CSV”, row 2, column A (tax_code): A tax code is 10 digits, or 10 digits, a "
            "dash and 3 digits for a branch.",
            "Sheet “CSV”, row 3, column E (closed_on): The closing date cannot be before the "
            "founding date.",
            "Sheet “CSV”, row 4, column F (email): Enter a valid email address.",
        ]

    def test_a_tax_code_that_came_back_as_a_number_gets_its_zero_back(self, client_a, zone_a):
        existing = factories.EnterpriseFactory(zone=zone_a, tax_code="0100109106")
        rows = [[None, 100109106, existing.name, "private", "operating", "2015-01-01", None]]
        plan = upload(client_a, zone_a, xlsx(rows)).context["plan"]
        assert plan.errors == []
        assert [row.tax_code for row in plan.unchanged_rows] == ["0100109106"]

    def test_dates_are_read_by_type(self, client_a, zone_a):
        rows = [
            [None, "5300999991", "A", "private", "operating", datetime.datetime(2020, 5, 6), None],
            [None, "5300999992", "B", "private", "operating", "07/08/2019", None],
            [None, "5300999993", "C", "private", "operating", 43000, None],
        ]
        response = upload(client_a, zone_a, xlsx(rows))
        assert errors(response) == [
            "Sheet “Enterprises”, row 4, column F (founded_on): Expected a date, found a "
            "number; format the column as a date."
        ]

    def test_a_csv_with_labels_and_semicolons(self, client_a, zone_a):
        text = "tax_code;name;ownership;status\n0100109107;Công ty Cổ phần;Domestic private;Đang\n"
        response = upload(client_a, zone_a, csv_file(text))
        assert errors(response) == [
            "Sheet “CSV”, row 2, column D (status): “Đang” is not one of: operating, building, "
            "suspended, closed."
        ]
        text = "tax_code;name;ownership\n100109107;Công ty Cổ phần;Domestic private\n"
        plan = upload(client_a, zone_a, csv_file(text)).context["plan"]
        assert [(row.tax_code, row.action) for row in plan.rows] == [("0100109107", "new")]


class TestRefusedFiles:
    def refused(self, client, zone, file) -> list[str]:
        response = client.post(URL, {"zone": zone.pk, "file": file})
        assert response.status_code == 200
        return response.context["upload_form"].errors["file"]

    def test_other_file_types(self, client_a, zone_a):
        assert self.refused(client_a, zone_a, csv_file("x", name="list.xls")) == [
            "Only .xlsx and .csv files can be imported."
        ]

    def test_files_over_5_mb(self, client_a, zone_a):
        big = SimpleUploadedFile("big.csv", b"tax_code,name\n" + b"x" * (5 * 1024 * 1024))
        assert self.refused(client_a, zone_a, big) == ["The file is larger than 5 MB."]

    def test_a_zip_that_declares_a_huge_content(self, client_a, zone_a):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (41 * 1024 * 1024))
        file = SimpleUploadedFile("bomb.xlsx", buffer.getvalue())
        assert len(buffer.getvalue()) < 200_000
        assert self.refused(client_a, zone_a, file) == [
            "This .xlsx file unpacks to more than 40 MB; split it."
        ]

    def test_a_file_that_is_not_a_zip(self, client_a, zone_a):
        file = SimpleUploadedFile("fake.xlsx", b"tax_code,name\n")
        assert self.refused(client_a, zone_a, file) == ["This file is not a valid .xlsx file."]

    def test_a_csv_that_is_not_utf8(self, client_a, zone_a):
        file = SimpleUploadedFile("old.csv", "tax_code,name\n1,Công ty\n".encode("cp1258"))
        assert self.refused(client_a, zone_a, file) == [
            "This .csv file is not UTF-8 text; save it as “CSV UTF-8”."
        ]

    def test_a_header_without_the_required_columns(self, client_a, zone_a):
        assert self.refused(client_a, zone_a, csv_file("name\nA\n")) == [
            "No row at the top of the sheet names the columns; missing: tax_code."
        ]

    def test_too_many_rows(self, client_a, zone_a, monkeypatch):
        monkeypatch.setattr("enterprises.imports.reading.MAX_ROWS", 3)
        text = "tax_code,name\n" + "".join(f"530000000{n},E{n}\n" for n in range(4))
        assert self.refused(client_a, zone_a, csv_file(text)) == [
            "The file has more than 3 rows; split it."
        ]


class TestApply:
    def test_confirming_applies_every_row(self, client_a, zone_a, enterprise_a, official_a):
        rows = [
            [None, "5300999999", "Công ty Mới", "fdi", "operating", "2021-02-03", "0214 9"],
            [
                enterprise_a.pk,
                enterprise_a.tax_code,
                enterprise_a.name,
                "private",
                "suspended",
                "2015-01-01",
                None,
            ],
        ]
        preview = upload(client_a, zone_a, xlsx(rows))
        response = confirm(client_a, preview)
        assert (
            "Imported: 1 new and 1 changed enterprises; 0 unchanged." in response.content.decode()
        )
        created = Enterprise.objects.get(tax_code="5300999999")
        assert (created.zone, created.ownership, created.phone) == (zone_a, "fdi", "0214 9")
        assert created.search_text == "cong ty moi 5300999999"
        assert (created.history.get().history_user, created.version) == (official_a, 1)
        enterprise_a.refresh_from_db()
        assert (enterprise_a.status, enterprise_a.version) == ("suspended", 2)
        change = enterprise_a.history.first()
        assert (change.history_type, change.history_user, change.status) == (
            "~",
            official_a,
            "suspended",
        )
        assert change.name == enterprise_a.name, "the history row holds every field"

    def test_an_import_tells_the_cache_and_the_totals(
        self, client_a, zone_a, django_capture_on_commit_callbacks
    ):
        """bulk_create sends no signals: the import names its zones itself."""
        rebuild_totals(years=[2024])
        text = "tax_code,name,ownership\n5300999999,X,private\n"
        preview = upload(client_a, zone_a, csv_file(text))
        before = cache.get(f"stamp:{zone_a.pk}:{ANY_YEAR}")
        with django_capture_on_commit_callbacks(execute=True):
            confirm(client_a, preview)
        assert cache.get(f"stamp:{zone_a.pk}:{ANY_YEAR}") != before
        totals = FigureTotals.objects.filter(zone=zone_a, year=2024)
        assert sum(totals.values_list("returns_expected", flat=True)) == 1

    @pytest.mark.parametrize("count", [2, 40])
    def test_the_query_count_does_not_grow_with_rows(
        self, client_a, zone_a, count, django_assert_max_num_queries
    ):
        existing = factories.EnterpriseFactory.create_batch(count, zone=zone_a)
        rows = [
            [None, f"5301{number:06d}", f"New {number}", "private", "operating", None, None]
            for number in range(count)
        ] + [[None, e.tax_code, e.name, "fdi", "operating", "2015-01-01", None] for e in existing]
        with django_assert_max_num_queries(13):
            preview = upload(client_a, zone_a, xlsx(rows))
        assert len(preview.context["plan"].changed_rows) == count
        # with, for each of the two bulk writes, its zones locked and the years of totals kept
        with django_assert_max_num_queries(32):
            response = client_a.post(URL, {"token": preview.context["token"]})
        assert response.status_code == 302
        assert Enterprise.objects.filter(tax_code__startswith="5301").count() == count
        assert Enterprise.objects.filter(ownership="fdi", version=2).count() == count

    def test_a_file_with_any_error_cannot_be_confirmed(self, client_a, zone_a, enterprise_a):
        rows = [
            [None, "5300999999", "Good row", "fdi", "operating", None, None],
            [None, "5300999998", "Bad row", "nonsense", "operating", None, None],
        ]
        preview = upload(client_a, zone_a, xlsx(rows))
        assert preview.context["token"] == ""
        response = client_a.post(URL, {"token": "guess"}, follow=True)
        assert "This preview has expired" in response.content.decode()
        assert not Enterprise.objects.filter(tax_code="5300999999").exists()

    def test_a_change_after_the_preview_applies_nothing(
        self, client_a, zone_a, enterprise_a, official_a
    ):
        rows = [
            [None, "5300999999", "New one", "fdi", "operating", None, None],
            [
                enterprise_a.pk,
                enterprise_a.tax_code,
                enterprise_a.name,
                "private",
                "closed",
                "2015-01-01",
                None,
            ],
        ]
        preview = upload(client_a, zone_a, xlsx(rows))
        update_enterprise(
            enterprise=enterprise_a, data={"phone": "meanwhile"}, seen_version=1, user=official_a
        )
        response = confirm(client_a, preview)
        assert "nothing was imported" in response.content.decode()
        assert "Someone saved this enterprise after the preview" in " ".join(errors(response))
        assert not Enterprise.objects.filter(tax_code="5300999999").exists()
        enterprise_a.refresh_from_db()
        assert (enterprise_a.status, enterprise_a.phone) == ("operating", "meanwhile")

    def test_a_failure_while_writing_rolls_everything_back(
        self, client_a, zone_a, enterprise_a, monkeypatch
    ):
        rows = [
            [None, "5300999999", "New one", "fdi", "operating", None, None],
            [
                enterprise_a.pk,
                enterprise_a.tax_code,
                enterprise_a.name,
                "private",
                "closed",
                "2015-01-01",
                None,
            ],
        ]
        preview = upload(client_a, zone_a, xlsx(rows))

        def refuse(*, changes, user):
            raise StaleEdit(changes[0][0])

        monkeypatch.setattr(applying, "update_enterprises", refuse)
        response = confirm(client_a, preview)
        assert "nothing was imported" in response.content.decode()
        assert not Enterprise.objects.filter(tax_code="5300999999").exists()

    def test_a_reviewer_may_not_import(self, client, reviewer, zone_a):
        client.force_login(reviewer)
        assert client.get(URL).status_code == 403
        assert client.post(URL, {"zone": zone_a.pk, "file": csv_file("x")}).status_code == 403
        assert not Enterprise.objects.exists()

    def test_an_official_cannot_import_into_another_zone(self, client_a, zone_b):
        text = "tax_code,name,ownership\n5300999999,X,private\n"
        response = client_a.post(URL, {"zone": zone_b.pk, "file": csv_file(text)})
        assert "zone" in response.context["upload_form"].errors
        assert not Enterprise.objects.exists()


class TestBulkWrites:
    """The import's bulk services write what the one-by-one services would, and the database
    still has the last word."""

    def test_a_bulk_create_saves_what_a_save_would(self, zone_a, official_a):
        data = {"name": "Công ty Đúc", "ownership": "fdi", "zone": zone_a, "phone": "0214"}
        one = create_enterprise(data={**data, "tax_code": "5300999998"}, user=official_a)
        (bulk,) = create_enterprises(rows=[{**data, "tax_code": "5300999999"}], user=official_a)
        assert_same_records(one, bulk)

    def test_a_bulk_update_saves_what_a_save_would(self, zone_a, official_a):
        one, bulk = factories.EnterpriseFactory.create_batch(2, zone=zone_a, name="Cũ")
        data = {"name": "Công ty Mới", "status": "closed", "closed_on": datetime.date(2024, 1, 2)}
        update_enterprise(enterprise=one, data=data, seen_version=1, user=official_a)
        update_enterprises(changes=[(bulk, data)], user=official_a)
        assert_same_records(one, bulk)

    def test_a_stale_version_writes_nothing(self, zone_a, official_a):
        first, second = factories.EnterpriseFactory.create_batch(2, zone=zone_a)
        update_enterprise(enterprise=first, data={"phone": "1"}, seen_version=1, user=official_a)
        first.version = 1  # as read before that save
        with pytest.raises(StaleEdit):
            update_enterprises(
                changes=[(second, {"phone": "2"}), (first, {"phone": "3"})], user=official_a
            )
        assert sorted(Enterprise.objects.values_list("phone", "version")) == [("", 1), ("1", 2)]

    def test_the_database_refuses_a_tax_code_taken_meanwhile(self, zone_a, official_a):
        taken = factories.EnterpriseFactory(zone=zone_a)
        rows = [
            {"name": name, "tax_code": code, "ownership": "private", "zone": zone_a}
            for name, code in (("A", "5300999999"), ("B", taken.tax_code))
        ]
        with pytest.raises(RuleBroken) as refused:
            create_enterprises(rows=rows, user=official_a)
        assert refused.value.field == "tax_code"
        assert not Enterprise.objects.filter(tax_code="5300999999").exists()


def assert_same_records(one: Enterprise, bulk: Enterprise) -> None:
    """The two enterprises and their latest history rows agree on everything but identity."""

    def fields(record, *, skip=("id", "tax_code", "search_text", "history_id", "history_date")):
        return {
            field.attname: getattr(record, field.attname)
            for field in record._meta.concrete_fields
            if field.attname not in skip
        }

    one.refresh_from_db()
    bulk.refresh_from_db()
    assert fields(one) == fields(bulk)
    assert bulk.search_text == one.search_text.replace(one.tax_code, bulk.tax_code)
    assert fields(one.history.first()) == fields(bulk.history.first())
    assert one.history.count() == bulk.history.count()
