"""The employer's page (R-CER-05): the reference and the worker's ID number show whether a
certificate is validated and for which days — never the diagnosis; a wrong ID number
answers exactly like an unknown reference; the attempts are limited (429)."""

from __future__ import annotations

import html as html_lib
import re
from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse

from ventanilla.certificates import services
from ventanilla.certificates.tests.conftest import NOW, scan, typed
from ventanilla.core.channels import Channel

pytestmark = pytest.mark.django_db
URL = "/certificados/verificar/"
ALL_CHECKS = ["letterhead", "typed", "stamp", "no_amendments", "legible"]
NOT_FOUND = ("We could not find a certificate with this reference number and ID number. "
             "Check both with the worker and try again.")
SECRETS = ("J06", "Infección", "respiratory", "Andrade", "La Merced", "1005-2016",
           "Illness", "illness")


@pytest.fixture
def english() -> Client:
    client = Client(headers={"accept-language": "en"})
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def validator(roles):
    from ventanilla.accounts.roles import Role
    from ventanilla.accounts.services import staff_create

    return staff_create(username="validador.ec", password="Staff-password-123",
                        role=Role.VALIDATOR, country="EC")


@pytest.fixture
def cert(make_affiliate):
    ana = make_affiliate()
    return services.certificate_submit(submitter=ana, patient=ana, data=typed(),
                                       files=scan(), channel=Channel.WEB, now=NOW)


def _text(response) -> str:
    """The page's visible text, tags dropped and spaces folded."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _main(response) -> str:
    """The page's main part, less its (per-request) CSRF token."""
    html = response.content.decode()
    main = html[html.index("<main"):html.index("</main>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", main)


def test_r_cer_05_the_employer_sees_the_days_of_a_validated_certificate(english, cert,
                                                                        validator):
    services.certificate_validate(certificate=cert, actor=validator, checklist=ALL_CHECKS,
                                  now=NOW)
    r = english.post(URL, {"reference": cert.case.reference, "id_number": "1710034065"})
    assert r.status_code == 200
    text = _text(r)
    assert f"Certificate {cert.case.reference}" in text
    assert ("Validated The institution validated this certificate: it justifies 3 days of "
            "absence from work.") in text
    assert ("First day of rest 1 December 2026 Last day of rest 3 December 2026 "
            "Days of rest 3 Validated on 7 December 2026") in text
    assert "CITT" not in text
    for secret in SECRETS:
        assert secret not in r.content.decode()


def test_r_cer_05_a_certificate_not_yet_validated_says_so(english, cert):
    r = english.post(URL, {"reference": cert.case.reference.lower(),
                           "id_number": "1710034065"})
    text = _text(r)
    assert ("Not validated This certificate is not validated. Its status: Waiting for "
            "validation. It does not justify an absence until it is validated.") in text
    assert "Validated on" not in text


def test_r_cer_04_a_peruvian_citt_number_is_shown(english, make_affiliate, roles):
    from ventanilla.accounts.roles import Role
    from ventanilla.accounts.services import staff_create

    rosa = make_affiliate(country="PE", id_type="dni", id_number="45678912",
                          given_names="Rosa", family_names="Quispe Mamani",
                          mobile_phone="+51987654321")
    now = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
    cert = services.certificate_submit(
        submitter=rosa, patient=rosa, channel=Channel.WEB, files=scan(), now=now,
        data=typed(patient_names="Rosa Quispe Mamani", patient_id_number="45678912",
                   doctor_registration="CMP 045123", establishment_phone="01 415 3000",
                   issued_country="PE", issued_place="Lima", issued_on="20/11/2026",
                   rest_start="20/11/2026", rest_end="14/12/2026", rest_days="25"))
    services.certificate_validate(
        certificate=cert, checklist=ALL_CHECKS, now=now,
        actor=staff_create(username="validador.pe", password="Staff-password-123",
                           role=Role.VALIDATOR, country="PE"))
    r = english.post(URL, {"reference": cert.case.reference, "id_number": "45678912"})
    assert "Incapacity certificate (CITT) CITT-PE-2026-0000001" in _text(r)
    assert "25 days of absence" in _text(r)


def test_r_cer_05_a_wrong_id_and_an_unknown_reference_get_the_same_page(english, cert):
    wrong_id = english.post(URL, {"reference": cert.case.reference, "id_number": "1713175071"})
    unknown = english.post(URL, {"reference": "EC-ZZZZZZZZZ", "id_number": "1713175071"})
    assert (wrong_id.status_code, unknown.status_code) == (404, 404)
    # the same page, but for the reference typed back into its box
    same = [_main(r).replace(ref, "REF") for r, ref in ((wrong_id, cert.case.reference),
                                                         (unknown, "EC-ZZZZZZZZZ"))]
    assert same[0] == same[1]
    assert NOT_FOUND in _text(wrong_id)
    assert 'href="#id_reference"' in wrong_id.content.decode()   # the summary links to it
    assert "Error:" in wrong_id.content.decode().split("</title>")[0]


def test_an_empty_form_names_both_fields(english):
    r = english.post(URL, {"reference": "", "id_number": ""})
    assert r.status_code == 422
    text = _text(r)
    assert "There is a problem" in text
    assert "Enter the certificate reference number" in text and "Enter the worker's ID number" in text


def test_the_receipts_qr_code_fills_in_the_reference_never_the_id_number(english, cert):
    from ventanilla.certificates.receipt import verify_url

    url = verify_url(cert)
    assert url.endswith(f"{URL}?reference={cert.case.reference}")
    r = english.get(url.split("8000", 1)[-1] + "&id_number=1710034065")
    assert r.status_code == 200
    [reference] = re.findall(r'<input[^>]*name="reference"[^>]*>', r.content.decode())
    [id_number] = re.findall(r'<input[^>]*name="id_number"[^>]*>', r.content.decode())
    assert f'value="{cert.case.reference}"' in reference
    assert "value=" not in id_number
    assert reverse("web:certificate_verify") == URL


def test_a_hostile_reference_in_the_link_is_only_text(english):
    r = english.get(URL, {"reference": '"><script>alert(1)</script>'})
    assert r.status_code == 200
    assert "<script>alert(1)" not in r.content.decode()


def test_r_cer_05_the_attempts_are_limited_with_the_case_lookup(english, cert):
    codes = [english.post(URL, {"reference": "EC-ZZZZZZZZZ",
                                "id_number": "1710034065"}).status_code for _ in range(10)]
    assert codes == [404] * 10
    r = english.post(URL, {"reference": cert.case.reference, "id_number": "1710034065"})
    assert r.status_code == 429
    assert int(r["Retry-After"]) >= 1
    assert "Too many attempts. Wait a few minutes and try again." in _text(r)
    assert "Days of rest" not in _text(r)
    # the case lookup page counts in the same bucket
    assert english.post("/tramites/", {"reference": cert.case.reference,
                                       "id_number": "1710034065"}).status_code == 429


def test_the_form_is_csrf_protected():
    client = Client(enforce_csrf_checks=True)
    page = client.get(URL)
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()
    assert client.post(URL, {"reference": "EC-ZZZZZZZZZ",
                             "id_number": "1710034065"}).status_code == 403


def test_the_public_home_page_links_to_it(english):
    r = english.get("/")
    assert f'href="{URL}"' in r.content.decode()
    assert "Employers: check a worker's sick-leave certificate" in _text(r)
