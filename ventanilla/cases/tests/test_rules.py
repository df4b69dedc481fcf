from ventanilla.cases import rules


def test_r_reg_06_reference_is_random_with_a_check_character():
    refs = {rules.reference_new("EC") for _ in range(200)}
    assert len(refs) == 200
    for ref in refs:
        assert ref.startswith("EC-") and len(ref) == 12
        assert rules.reference_is_well_formed(ref)


def test_reference_typing_mistakes_are_caught_and_lookalikes_forgiven():
    from stdnum import luhn

    body = "7KQ29XW4" + luhn.calc_check_digit("7KQ29XW4", rules.ALPHABET)
    ref = "PE-" + body
    assert rules.reference_is_well_formed(ref)
    assert not rules.reference_is_well_formed("PE-K7Q29XW4" + body[-1])  # swapped
    assert not rules.reference_is_well_formed("PE-7KQ29XW5" + body[-1])  # mistyped
    assert rules.reference_normalise(" pe-" + body.lower() + " ") == ref
    assert rules.reference_normalise("PE-0O1IL") == "PE-00111"
