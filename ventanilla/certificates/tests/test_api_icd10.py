"""R-CER-03 through the API: ``GET /api/v1/icd10/{code}`` and ``GET /api/v1/icd10?q=``,
public reference data in the language of ``Accept-Language``. Every answer here also
passes the contract guard (the OpenAPI document's statuses and schemas; test settings)."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

J069 = {
    "es": "Infección aguda de las vías respiratorias superiores, no especificada",
    "en": "Acute upper respiratory infection, unspecified",
}


def _get(url: str, language: str = "es", **params):
    return Client().get(url, params, HTTP_ACCEPT_LANGUAGE=language)


@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize("typed", ["j069", "J06.9", "j06 9"])
def test_r_cer_03_a_code_is_described_in_the_language_of_the_request(typed, language):
    response = _get(f"/api/v1/icd10/{typed}", language)
    assert response.status_code == 200
    assert response.json() == {
        "code": "J06.9",
        "description": J069[language],
        "description_language": language,
    }
    assert response["Content-Language"] == language
    assert "Accept-Language" in response["Vary"]
    assert "no-store" not in response.get("Cache-Control", "")  # reference data


def test_r_cer_03_a_code_without_spanish_is_answered_in_english_and_says_so():
    assert _get("/api/v1/icd10/A92.5", "es").json() == {
        "code": "A92.5",
        "description": "Zika virus disease",
        "description_language": "en",
    }


def test_r_cer_03_a_category_is_a_404_with_the_nearest_codes():
    response = _get("/api/v1/icd10/J06", "es")
    assert response.status_code == 404
    body = response.json()
    assert body.pop("message")  # translated in the catalogue; the English one is below
    assert body == {
        "code": "ICD10_NOT_SPECIFIC",
        "fields": {},
        "nearest": [
            {
                "code": "J06.0",
                "description": "Laringofaringitis aguda",
                "description_language": "es",
            },
            {
                "code": "J06.8",
                "description": "Otras infecciones agudas de sitios múltiples de "
                "las vías respiratorias superiores",
                "description_language": "es",
            },
            {"code": "J06.9", "description": J069["es"], "description_language": "es"},
        ],
    }


@pytest.mark.parametrize(
    "typed, code, message, nearest",
    [
        ("J06.99", "ICD10_UNKNOWN", "This code is not in the ICD-10 classification.", ["J06.9"]),
        (
            "J06-9",
            "ICD10_MALFORMED",
            "An ICD-10 code is a letter and two digits, sometimes "
            "followed by one or two more characters, such as J06.9.",
            ["J06.9"],
        ),
        (
            "ZZZ",
            "ICD10_MALFORMED",
            "An ICD-10 code is a letter and two digits, sometimes "
            "followed by one or two more characters, such as J06.9.",
            [],
        ),
        (
            "J06",
            "ICD10_NOT_SPECIFIC",
            "This category has subcategories: give the one on the certificate.",
            ["J06.0", "J06.8", "J06.9"],
        ),
        (
            "U99",
            "ICD10_UNKNOWN",
            "This code is not in the ICD-10 classification.",
            ["U84.9", "U85", "V01.0", "V01.1", "V01.9"],
        ),  # the codes that sort next to it
    ],
)
def test_r_cer_03_anything_else_is_a_404_saying_why(typed, code, message, nearest):
    response = _get(f"/api/v1/icd10/{typed}", "en")
    assert response.status_code == 404
    body = response.json()
    assert (body["code"], body["message"], body["fields"]) == (code, message, {})
    assert [n["code"] for n in body["nearest"]] == nearest
    assert all(n["description_language"] == "en" for n in body["nearest"])


@pytest.mark.parametrize("language", ["es", "en"])
def test_r_cer_03_search_by_code_prefix(language):
    response = _get("/api/v1/icd10", language, q="J06.")
    assert response.status_code == 200
    assert [i["code"] for i in response.json()["items"]] == ["J06.0", "J06.8", "J06.9"]
    assert response.json()["items"][2] == {
        "code": "J06.9",
        "description": J069[language],
        "description_language": language,
    }


def test_r_cer_03_search_by_words_in_either_language():
    found = _get("/api/v1/icd10", "en", q="faringitis estreptococica").json()
    assert found == {
        "items": [
            {
                "code": "J02.0",
                "description": "Streptococcal pharyngitis",
                "description_language": "en",
            }
        ]
    }
    found = _get("/api/v1/icd10", "es", q="streptococcal pharyngitis").json()
    assert found == {
        "items": [
            {
                "code": "J02.0",
                "description": "Faringitis estreptocócica",
                "description_language": "es",
            }
        ]
    }


@pytest.mark.parametrize("limit, count", [("2", 2), ("0", 1), ("500", 100)])
def test_r_cer_03_search_limit_is_kept_between_1_and_100(limit, count):
    items = _get("/api/v1/icd10", "es", q="a", limit=limit).json()["items"]
    assert len(items) == count
    assert len(_get("/api/v1/icd10", "es", q="a").json()["items"]) == 20


def test_r_cer_03_search_without_words_finds_nothing_and_without_q_is_refused():
    assert _get("/api/v1/icd10", "es", q=" ").json() == {"items": []}
    response = _get("/api/v1/icd10", "en")
    assert response.status_code == 422
    assert response.json()["fields"] == {"q": "This field is required."}
