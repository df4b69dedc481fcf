"""Pure rules of registration: no database."""

from __future__ import annotations

from datetime import date

import pytest

from ventanilla.core.errors import ValidationFailed
from ventanilla.countries.ec import EcuadorPack
from ventanilla.registration import rules, uploads

EC = EcuadorPack()
PIXELS = 64_000_000
PDF = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_r_reg_01_foreign_residents_get_the_foreigners_checklist():
    situation = rules.situation_for(EC, id_type="passport", nationality="US",
                                    employed_locally=False, has_previous_health_card=False,
                                    documents_in_other_language=False)
    assert situation.is_foreign_national
    citizen = rules.situation_for(EC, id_type="cedula", nationality="EC", employed_locally=False,
                                  has_previous_health_card=False,
                                  documents_in_other_language=False)
    assert not citizen.is_foreign_national
    # a foreign national holding a cédula is a foreign resident too
    resident = rules.situation_for(EC, id_type="cedula", nationality="CO",
                                   employed_locally=False, has_previous_health_card=False,
                                   documents_in_other_language=False)
    assert resident.is_foreign_national


def test_r_reg_03_checklist_marks_missing_uploaded_rejected_and_form_items():
    situation = rules.situation_for(EC, id_type="cedula", nationality="EC",
                                    employed_locally=False, has_previous_health_card=False,
                                    documents_in_other_language=False)
    items = rules.checklist(EC, situation, {"identity": ("d1", "rejected", "blurred"),
                                            "residence": ("d2", "pending", "")})
    by_code = {i.kind.code: i for i in items}
    assert by_code["identity"].status == "rejected" and by_code["identity"].blocks_submission
    assert by_code["identity"].rejection_reason == "blurred"
    assert by_code["residence"].status == "uploaded" and not by_code["residence"].blocks_submission
    assert by_code["previous_card"].status == "missing"
    assert not by_code["previous_card"].blocks_submission  # optional
    assert by_code["registration_form"].status == "provided"


@pytest.mark.parametrize("dob,ok", [
    (date(2026, 11, 25), True), (date(2026, 11, 26), False), (date(1896, 1, 1), True),
    (date(1895, 12, 31), False)], ids=["today", "future", "oldest", "too-old"])
def test_date_of_birth_not_in_the_future(dob, ok):
    today = date(2026, 11, 25)
    if ok:
        assert rules.date_of_birth_check(dob, today=today) == dob
    else:
        with pytest.raises(ValidationFailed) as exc:
            rules.date_of_birth_check(dob, today=today)
        assert "date_of_birth" in exc.value.fields


def test_upload_type_is_read_from_the_content():
    assert uploads.upload_check(data=PDF, max_bytes=1000, max_pixels=PIXELS) == "application/pdf"
    with pytest.raises(ValidationFailed, match="JPG, PNG, HEIC or PDF"):
        uploads.upload_check(data=b"MZ\x90\x00 this is an exe", max_bytes=1000, max_pixels=PIXELS)
    with pytest.raises(ValidationFailed, match="not a complete PDF"):
        uploads.upload_check(data=b"%PDF-1.4 truncated", max_bytes=1000, max_pixels=PIXELS)
    with pytest.raises(ValidationFailed, match="empty"):
        uploads.upload_check(data=b"", max_bytes=1000, max_pixels=PIXELS)
    with pytest.raises(ValidationFailed, match="smaller than"):
        uploads.upload_check(data=PDF + b"x" * 2_000_000, max_bytes=1024 * 1024,
                             max_pixels=PIXELS)


def test_upload_damaged_image_is_refused():
    with pytest.raises(ValidationFailed, match="damaged"):
        uploads.upload_check(data=b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, max_bytes=1000,
                             max_pixels=PIXELS)


def test_r_reg_05_overdue_only_after_the_due_date():
    assert not rules.is_overdue(date(2026, 11, 25), today=date(2026, 11, 25))
    assert rules.is_overdue(date(2026, 11, 24), today=date(2026, 11, 25))
    assert not rules.is_overdue(None, today=date(2026, 11, 25))


@pytest.mark.parametrize("name", ["", "   ", "R2D2", "---"])
def test_names_need_letters(name):
    with pytest.raises(ValidationFailed):
        rules.name_check(name, field="given_names")


def _photo(fmt: str, size=(4000, 3000), exif_gps=False) -> bytes:
    import io

    import pillow_heif
    from PIL import Image

    pillow_heif.register_heif_opener()
    img = Image.new("RGB", size, (120, 80, 40))
    buf = io.BytesIO()
    kwargs = {}
    if exif_gps:
        exif = Image.Exif()
        exif[0x8825] = {1: "S", 2: (0.0, 12.0, 3.0)}  # GPSInfo
        exif[0x0110] = "Phone 15"                       # Model
        kwargs["exif"] = exif.tobytes()
    img.save(buf, fmt, **kwargs)
    return buf.getvalue()


def test_heic_photo_is_accepted_and_stored_as_jpeg():
    data = _photo("HEIF", size=(640, 480))
    assert uploads.upload_check(data=data, max_bytes=10_000_000, max_pixels=PIXELS) == "image/heic"
    stored, content_type = uploads.image_normalise(data, "image/heic", max_pixels=PIXELS)
    assert content_type == "image/jpeg" and stored[:3] == b"\xff\xd8\xff"


def test_photos_are_shrunk_and_lose_their_metadata():
    import io

    from PIL import Image

    data = _photo("JPEG", exif_gps=True)
    stored, content_type = uploads.image_normalise(data, "image/jpeg", max_pixels=PIXELS)
    with Image.open(io.BytesIO(stored)) as img:
        assert max(img.size) == uploads.MAX_IMAGE_SIDE
        assert not img.getexif()
    assert content_type == "image/jpeg"
    pdf, kind = uploads.image_normalise(PDF, "application/pdf", max_pixels=PIXELS)
    assert (pdf, kind) == (PDF, "application/pdf")
