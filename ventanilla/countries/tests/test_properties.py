"""Property tests: whatever a person types, validators answer with a translated IdInvalid or
PhoneInvalid, never another exception (which would be a 500)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ventanilla.countries.base import IdInvalid, PhoneInvalid
from ventanilla.countries.ec import EcuadorPack
from ventanilla.countries.pe import PeruPack

PACKS = [EcuadorPack(), PeruPack()]
typed = st.one_of(st.text(max_size=30), st.from_regex(r"[0-9 \-]{0,14}", fullmatch=True))


@settings(max_examples=300, deadline=None)
@given(value=typed, pack_index=st.integers(0, 1), type_index=st.integers(0, 2))
def test_r_id_01_any_input_is_valid_and_idempotent_or_refused(value, pack_index, type_index):
    pack = PACKS[pack_index]
    id_type = pack.id_types[type_index % len(pack.id_types)].code
    try:
        compact = pack.validate_id(id_type, value)
    except IdInvalid as exc:
        assert str(exc.message) and "id_number" in exc.fields
    else:
        assert pack.validate_id(id_type, compact) == compact


@settings(max_examples=200, deadline=None)
@given(value=st.text(max_size=25))
def test_r_id_02_any_phone_input_is_a_mobile_or_refused(value):
    for pack in PACKS:
        try:
            phone = pack.validate_mobile(value)
        except PhoneInvalid as exc:
            assert "mobile_phone" in exc.fields
        else:
            assert pack.validate_mobile(phone.e164) == phone
