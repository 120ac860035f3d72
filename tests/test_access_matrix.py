"""Every address of the app (the URL resolver's list, not a hand list) for every role: anonymous,
an official of zone A, an official of zone B, a reviewer and an administrator, on records of
zone A. Each must get exactly the answer written here; a new address fails until it is added."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from . import factories

ROLES = ("anonymous", "official_a", "official_b", "reviewer", "administrator")
LOGIN = "login"  # a redirect to the login page
OK, FORBIDDEN, NOT_FOUND, NOT_ALLOWED, REDIRECT = 200, 403, 404, 405, 302

# name: (anonymous, official of zone A, official of zone B, reviewer, administrator), for GET.
EXPECTED = {
    "healthz": (OK, OK, OK, OK, OK),
    "favicon": (REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    "login": (OK, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    "logout": (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    "two_factor_setup": (LOGIN, OK, OK, OK, OK),
    "two_factor_verify": (LOGIN, OK, OK, OK, OK),
    "set_language": (NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    "programme_detail": (LOGIN, OK, OK, OK, OK),
    "programme_follow": (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
    "enterprise_list": (LOGIN, OK, OK, OK, OK),
    "enterprise_create": (LOGIN, OK, OK, FORBIDDEN, OK),
    "enterprise_import": (LOGIN, OK, OK, FORBIDDEN, OK),
    "enterprise_detail": (LOGIN, OK, NOT_FOUND, OK, OK),
    "enterprise_edit": (LOGIN, OK, NOT_FOUND, NOT_FOUND, OK),
    "enterprise_history": (LOGIN, OK, NOT_FOUND, OK, OK),
    "organisation_create": (LOGIN, OK, NOT_FOUND, NOT_FOUND, OK),
    "organisation_detail": (LOGIN, OK, NOT_FOUND, OK, OK),
    "organisation_export": (LOGIN, OK, OK, OK, OK),
    "organisation_edit": (LOGIN, OK, NOT_FOUND, NOT_FOUND, OK),
    "organisation_dissolve": (LOGIN, OK, NOT_FOUND, NOT_FOUND, OK),
    "zone_list": (LOGIN, OK, OK, OK, OK),
    "zone_detail": (LOGIN, OK, NOT_FOUND, OK, OK),
    "dashboard": (LOGIN, OK, OK, OK, OK),
    "gaps": (LOGIN, OK, OK, OK, OK),
    "review_list": (LOGIN, OK, OK, OK, OK),
    "review_create": (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
    "review_detail": (LOGIN, OK, OK, OK, OK),
    "review_edit": (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
    "review_finalise": (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
    "review_report": (LOGIN, OK, OK, OK, OK),
    "review_report_pdf": (LOGIN, OK, OK, OK, OK),
    "review_report_docx": (LOGIN, OK, OK, OK, OK),
    "signed_copy_upload": (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    "signed_copy_file": (LOGIN, OK, OK, OK, OK),
    "return_edit": (LOGIN, OK, NOT_FOUND, OK, OK),
    "return_review": (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    "return_list": (LOGIN, OK, OK, OK, OK),
    "returns_completeness": (LOGIN, OK, OK, OK, OK),
    "quality_checks": (LOGIN, OK, OK, OK, OK),
    "quality_flag_close": (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    "lock_exceptions": (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
    "reminder_settings": (LOGIN, OK, OK, OK, OK),
}


def _named_patterns(patterns=None):
    """Every named address outside the admin site, which has its own tests."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name != "admin":
                yield from _named_patterns(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield pattern


def test_every_address_has_its_expected_answers():
    names = {pattern.name for pattern in _named_patterns()}
    assert names == set(EXPECTED), "classify new addresses in EXPECTED (and drop gone ones)"


@pytest.fixture
def records(enterprise_a):
    organisation = factories.OrganisationFactory(enterprise=enterprise_a)
    annual_return = factories.AnnualReturnFactory(enterprise=enterprise_a, year=2024)
    flag = factories.QualityFlagFactory(annual_return=annual_return)
    review = factories.ProgrammeReviewFactory()
    signed_copy = factories.signed_copy_of(review)
    return {
        "signed_copy": signed_copy.pk,
        "enterprise": enterprise_a.pk,
        "organisation": organisation.pk,
        "zone": enterprise_a.zone_id,
        "programme": review.programme_id,
        "review": review.pk,
        "flag": flag.pk,
    }


def _address(name: str, records: dict) -> str:
    """The address of name for the records of zone A."""
    if name.startswith(("organisation_edit", "organisation_dissolve", "organisation_detail")):
        return reverse(name, args=[records["organisation"]])
    if name == "organisation_create":  # of an enterprise
        return reverse(name, args=[records["enterprise"]])
    if name == "quality_flag_close":
        return reverse(name, args=[records["flag"]])
    if name == "signed_copy_file":
        return reverse(name, args=[records["review"], records["signed_copy"]])
    if name == "signed_copy_upload":
        return reverse(name, args=[records["review"]])
    if name.startswith("return_") and name != "return_list":
        return reverse(name, args=[records["enterprise"], 2024])
    kind = name.split("_")[0]
    pk = records.get(kind)
    if (
        name
        in {
            "enterprise_list",
            "zone_list",
            "review_list",
            "enterprise_create",
            "enterprise_import",
            "review_create",
            "organisation_export",
            "returns_completeness",
            "quality_checks",
            "lock_exceptions",
            "reminder_settings",
        }
        or pk is None
    ):
        return reverse(name)
    return reverse(name, args=[pk])


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_its_answer_everywhere(client, request, role, records, official_b):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    wrong = {}
    for name, expected in EXPECTED.items():
        address = _address(name, records)
        response = client.get(address)
        want = expected[ROLES.index(role)]
        if want == LOGIN:
            ok = response.status_code == 302 and response["Location"].startswith(reverse("login"))
        else:
            ok = response.status_code == want
        if not ok:
            wrong[address] = (response.status_code, want)
    assert not wrong, f"{role}: address → (got, expected): {wrong}"
