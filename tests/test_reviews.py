"""The review pages: list, create (sections and signatures prefilled), detail and edit; a
final review is read-only."""

import datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from reviews.models import ProgrammeReview
from reviews.services.programme_reviews import create_review, finalise_review

from . import factories


@pytest.fixture
def programme(db):
    return factories.joint_programme()


@pytest.fixture
def review(programme, reviewer):
    return create_review(
        user=reviewer,
        programme=programme,
        kind=ProgrammeReview.Kind.ONE_YEAR,
        title="Sơ kết 01 năm thực hiện Chương trình phối hợp",
        number="01",
        as_of_year=2023,
        held_on=datetime.date(2024, 5, 16),
        place="Lào Cai",
    )


class FormInputs(HTMLParser):
    """The name → value pairs a browser would submit from a page's forms."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name") and attrs.get("type") != "submit":
            self.values[attrs["name"]] = attrs.get("value") or ""
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.values[self._textarea] = ""
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data.removeprefix("\n")


def form_inputs(response) -> dict[str, str]:
    parser = FormInputs()
    parser.feed(response.content.decode())
    parser.values.pop("csrfmiddlewaretoken", None)
    parser.values.pop("next", None)
    return parser.values


def test_create_prefills_sections_and_signatures(client, reviewer, programme):
    """One section per content area and one signature block per signing body, in position
    order, prefilled in each body's document style."""
    client.force_login(reviewer)
    response = client.post(
        reverse("review_create"),
        {
            "programme": programme.pk,
            "kind": ProgrammeReview.Kind.ONE_YEAR,
            "title": "Sơ kết 01 năm",
            "number": "01",
            "as_of_year": 2023,
            "held_on": "2024-05-16",
            "place": "Lào Cai",
        },
    )
    review = ProgrammeReview.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("review_edit", args=[review.pk])
    assert review.status == ProgrammeReview.Status.DRAFT
    assert [s.content_area.title for s in review.sections.all()] == [
        "Tuyên truyền, phổ biến chính sách",
        "Phát triển đảng viên",
    ]
    assert [
        (s.body.symbol, s.position, s.authority, s.signer_title) for s in review.signatures.all()
    ] == [
        ("ĐUK", 1, "T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ"),
        ("BQLKKT", 2, "KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"),
    ]


def test_create_refuses_a_year_outside_the_programme(client, reviewer, programme):
    """The as-of year must be one of the programme's years (2023–2025 here)."""
    client.force_login(reviewer)
    response = client.post(
        reverse("review_create"),
        {"programme": programme.pk, "kind": "one_year", "title": "Review", "as_of_year": 2026},
    )
    assert response.status_code == 200
    assert "The year must lie within the programme&#x27;s years, 2023 to 2025." in (
        response.content.decode()
    )
    assert not ProgrammeReview.objects.exists()


def test_officials_may_not_create_reviews(client, official_a, programme):
    client.force_login(official_a)
    assert client.get(reverse("review_create")).status_code == 403
    response = client.post(
        reverse("review_create"),
        {"programme": programme.pk, "kind": "one_year", "title": "Review", "as_of_year": 2023},
    )
    assert response.status_code == 403
    assert not ProgrammeReview.objects.exists()


def test_everyone_logged_in_reads_the_list_but_only_reviewers_see_new(
    client, official_a, reviewer, review
):
    client.force_login(official_a)
    page = client.get(reverse("review_list")).content.decode()
    assert review.title in page
    assert reverse("review_create") not in page

    client.force_login(reviewer)
    assert reverse("review_create") in client.get(reverse("review_list")).content.decode()


def test_edit_page_labels_sections_by_area_and_names_inputs_by_field(client, reviewer, review):
    client.force_login(reviewer)
    response = client.get(reverse("review_edit", args=[review.pk]))
    page = response.content.decode()
    assert "1. Tuyên truyền, phổ biến chính sách" in page
    assert "Ban Quản lý Khu kinh tế tỉnh" in page
    names = form_inputs(response)
    for name in ("title", "as_of_year", "sections-1-limitations", "signatures-0-signer_name"):
        assert name in names
    assert "programme" not in names
    assert "status" not in names


def test_edit_saves_the_review_its_sections_and_signatures(client, reviewer, review):
    client.force_login(reviewer)
    url = reverse("review_edit", args=[review.pk])
    data = form_inputs(client.get(url))
    data.update(
        {
            "summary": "Hai bên đã triển khai chương trình.",
            "sections-1-results": "Kết nạp 12 đảng viên mới.",
            "sections-1-causes": "Doanh nghiệp FDI chưa quan tâm.",
            "signatures-0-signer_name": "Nguyễn Văn A",
            "signatures-1-authority": "KT. TRƯỞNG BAN",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.summary == "Hai bên đã triển khai chương trình."
    second = review.sections.get(content_area__position=2)
    assert (second.results, second.causes) == (
        "Kết nạp 12 đảng viên mới.",
        "Doanh nghiệp FDI chưa quan tâm.",
    )
    assert review.signatures.get(position=1).signer_name == "Nguyễn Văn A"


def test_edit_cannot_add_sections(client, reviewer, review):
    """Sections come with the review: a forged extra form adds nothing."""
    client.force_login(reviewer)
    url = reverse("review_edit", args=[review.pk])
    data = form_inputs(client.get(url))
    data.update({"sections-TOTAL_FORMS": "3", "sections-2-results": "forged"})
    client.post(url, data)
    assert review.sections.count() == 2


def test_edit_refuses_a_year_outside_the_programme(client, reviewer, review):
    client.force_login(reviewer)
    url = reverse("review_edit", args=[review.pk])
    data = form_inputs(client.get(url)) | {"as_of_year": "2022"}
    response = client.post(url, data)
    assert response.status_code == 200
    review.refresh_from_db()
    assert review.as_of_year == 2023


def test_officials_may_not_edit(client, official_a, review):
    client.force_login(official_a)
    assert client.get(reverse("review_edit", args=[review.pk])).status_code == 403


def test_a_final_review_cannot_be_edited(client, reviewer, review):
    """GET sends back to the review with a message; a POST changes nothing."""
    client.force_login(reviewer)
    url = reverse("review_edit", args=[review.pk])
    data = form_inputs(client.get(url)) | {"title": "Changed", "sections-0-results": "Changed"}
    finalise_review(review=review, user=reviewer)

    response = client.get(url, follow=True)
    assert response.redirect_chain == [(reverse("review_detail", args=[review.pk]), 302)]
    assert "This review is final: it can no longer be changed." in response.content.decode()
    assert reverse("review_edit", args=[review.pk]) not in response.content.decode()

    response = client.post(url, data)
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.title == "Sơ kết 01 năm thực hiện Chương trình phối hợp"
    assert review.sections.filter(results="Changed").count() == 0


def test_detail_shows_sections_and_the_viewers_figures(
    client, official_a, review, enterprise_a, enterprise_b
):
    """A draft's figures are live and scoped: an official of zone A counts zone A only."""
    client.force_login(official_a)
    page = client.get(reverse("review_detail", args=[review.pk])).content.decode()
    assert "Phát triển đảng viên" in page
    assert "Zone A" in page
    assert ">1</a> expected returns for 2023" in page
    assert reverse("review_finalise", args=[review.pk]) not in page


def test_detail_offers_edit_and_finalise_to_reviewers_of_a_draft(client, reviewer, review):
    client.force_login(reviewer)
    page = client.get(reverse("review_detail", args=[review.pk])).content.decode()
    assert reverse("review_edit", args=[review.pk]) in page
    assert reverse("review_finalise", args=[review.pk]) in page


@pytest.mark.parametrize("url_name", ["review_detail", "review_edit"])
def test_unknown_review_is_404(client, reviewer, url_name):
    client.force_login(reviewer)
    assert client.get(reverse(url_name, args=[999])).status_code == 404


def _reviews(programme, reviewer, count: int) -> None:
    """`count` more reviews, each of a kind and year of its own (one review of a kind a year)."""
    taken = set(ProgrammeReview.objects.values_list("kind", "as_of_year"))
    free = [
        (kind, year)
        for kind in ProgrammeReview.Kind.values
        for year in programme.years
        if (kind, year) not in taken
    ]
    for kind, year in free[:count]:
        create_review(
            user=reviewer, programme=programme, kind=kind, title="Review", as_of_year=year
        )


def test_list_queries_do_not_grow_with_reviews(
    client, reviewer, programme, django_assert_max_num_queries
):
    client.force_login(reviewer)
    _reviews(programme, reviewer, 1)
    with django_assert_max_num_queries(15) as small:
        client.get(reverse("review_list"))
    _reviews(programme, reviewer, 6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("review_list"))


def test_detail_queries_do_not_grow_with_areas_or_enterprises(
    client, reviewer, review, zone_a, django_assert_max_num_queries
):
    client.force_login(reviewer)
    url = reverse("review_detail", args=[review.pk])
    factories.AnnualReturnFactory(enterprise__zone=zone_a, status="accepted")
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    for position in (3, 4, 5):
        factories.ReviewSectionFactory(
            review=review, content_area__programme=review.programme, content_area__position=position
        )
    factories.AnnualReturnFactory.create_batch(5, enterprise__zone=zone_a, status="accepted")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)
