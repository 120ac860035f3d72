"""Issue 14: bodies that change. A body merged into another from a day is named as it was on a
document's date; lists show current bodies first and former ones with their successor; an
organisation's superior body changes from a day without losing the earlier one."""

import datetime

import pytest
from django.urls import reverse

from coordination.models import Body
from coordination.selectors import bodies_current_first, body_label
from enterprises.models import Organisation, OrganisationSuperior
from reviews.selectors.programme_reviews import review_issuers

from . import factories

MERGED_ON = datetime.date(2025, 7, 1)


@pytest.fixture
def merged(db):
    """The Bloc's Party Committee, merged on 1 July 2025 into a new provincial committee."""
    successor = factories.BodyFactory(name="Đảng ủy các cơ quan Đảng tỉnh", symbol="ĐUCQĐ")
    former = factories.BodyFactory(
        name="Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh",
        symbol="ĐUK",
        successor=successor,
        succeeded_on=MERGED_ON,
    )
    return former, successor


def test_a_body_acts_as_itself_before_its_succession_and_as_its_successor_after(merged):
    former, successor = merged
    assert former.as_of(MERGED_ON - datetime.timedelta(days=1)) == former
    assert former.as_of(MERGED_ON) == successor
    assert former.is_current_on(MERGED_ON - datetime.timedelta(days=1))
    assert not former.is_current_on(MERGED_ON)


@pytest.mark.parametrize(
    ("held_on", "issuer"),
    [(datetime.date(2025, 5, 16), "Đảng ủy Khối"), (datetime.date(2026, 3, 10), "Đảng ủy các")],
)
def test_a_document_names_the_body_of_its_date(merged, held_on, issuer):
    former, _successor = merged
    programme = factories.ProgrammeFactory()
    factories.ProgrammeBodyFactory(programme=programme, body=former)
    review = factories.ProgrammeReviewFactory(programme=programme, held_on=held_on)
    factories.ReviewSignatureFactory(review=review, body=former)
    [named] = review_issuers(review=review)
    assert named["name"].startswith(issuer)


def test_the_print_view_names_the_successor_after_the_merger(client, reviewer, merged):
    former, successor = merged
    programme = factories.ProgrammeFactory()
    review = factories.ProgrammeReviewFactory(
        programme=programme, held_on=datetime.date(2026, 3, 10), as_of_year=2025
    )
    factories.ReviewSignatureFactory(review=review, body=former)
    client.force_login(reviewer)
    page = client.get(reverse("review_report", args=[review.pk])).content.decode()
    page = page.replace("\u00a0", " ")  # the letterhead holds a place name on one line
    assert successor.name.upper() in page
    assert former.name.upper() not in page


def test_lists_show_current_bodies_first_and_former_ones_with_their_successor(merged):
    former, successor = merged
    other = factories.BodyFactory(name="Ban Quản lý Khu kinh tế tỉnh")
    day = datetime.date(2026, 1, 1)
    ordered = list(bodies_current_first(Body.objects.all(), day=day))
    assert ordered.index(former) > max(ordered.index(successor), ordered.index(other))
    assert str(successor) in body_label(former, day=day)
    assert body_label(successor, day=day) == str(successor)
    assert body_label(former, day=datetime.date(2025, 1, 1)) == str(former)


@pytest.fixture
def moved(enterprise_a, merged):
    """A party cell under the Bloc's committee since 2020, moved on 1 July 2025."""
    former, successor = merged
    cell = factories.OrganisationFactory(
        enterprise=enterprise_a, name="Chi bộ Công ty", superior_body=successor
    )
    factories.OrganisationSuperiorFactory(
        organisation=cell, body=former, since=datetime.date(2020, 1, 1)
    )
    factories.OrganisationSuperiorFactory(organisation=cell, body=successor, since=MERGED_ON)
    return cell


def test_the_organisation_page_shows_the_history_of_superior_bodies(client, official_a, moved):
    client.force_login(official_a)
    page = client.get(reverse("organisation_detail", args=[moved.pk])).content.decode()
    assert "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh" in page
    assert "Đảng ủy các cơ quan Đảng tỉnh" in page


@pytest.mark.parametrize(
    ("as_of", "named", "not_named"),
    [
        ("2025-06-30", "Đảng ủy Khối các cơ quan", "Đảng ủy các cơ quan Đảng tỉnh"),
        ("2025-07-01", "Đảng ủy các cơ quan Đảng tỉnh", "Đảng ủy Khối các cơ quan"),
    ],
)
def test_the_export_as_of_a_day_gives_the_superior_body_of_that_day(
    client, official_a, moved, as_of, named, not_named
):
    client.force_login(official_a)
    response = client.get(reverse("organisation_export"), {"as_of": as_of, "_export": "csv"})
    content = response.getvalue().decode("utf-8-sig")
    assert "Chi bộ Công ty" in content
    assert named in content
    assert not_named not in content


def test_changing_the_superior_body_keeps_the_earlier_one(client, official_a, enterprise_a):
    first = factories.BodyFactory(name="Đảng ủy Khu kinh tế")
    second = factories.BodyFactory(name="Đảng ủy Khu công nghiệp Tằng Loỏng")
    client.force_login(official_a)
    created = client.post(
        reverse("organisation_create", args=[enterprise_a.pk]),
        {
            "kind": "party",
            "form": "grassroots_cell",
            "name": "Chi bộ mới",
            "founded_on": "2021-03-01",
            "superior_body": first.pk,
            "explanation": "Chi bộ ghép với doanh nghiệp bên cạnh.",
        },
    )
    assert created.status_code == 302, created.context["form"].errors
    cell = Organisation.objects.get(name="Chi bộ mới")
    edit = client.get(reverse("organisation_edit", args=[cell.pk]))
    data = {"seen_version": edit.context["form"]["seen_version"].value()}
    data |= {
        "kind": "party",
        "form": "grassroots_cell",
        "name": "Chi bộ mới",
        "founded_on": "2021-03-01",
        "superior_body": second.pk,
        "superior_body_since": "2025-07-01",
        "explanation": "Chi bộ ghép với doanh nghiệp bên cạnh.",
    }
    changed = client.post(reverse("organisation_edit", args=[cell.pk]), data)
    assert changed.status_code == 302, changed.context["form"].errors
    history = list(
        OrganisationSuperior.objects.filter(organisation=cell).values_list("body__name", "since")
    )
    assert history == [
        (second.name, datetime.date(2025, 7, 1)),
        (first.name, datetime.date(2021, 3, 1)),
    ]
    cell.refresh_from_db()
    assert cell.superior_body == second
