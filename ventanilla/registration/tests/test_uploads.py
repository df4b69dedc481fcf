"""What an upload must be before it is stored (registration.uploads, registration.pdf_clean):
crafted hostile files, no database."""

from __future__ import annotations

import io
import subprocess

import pikepdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageFile

from ventanilla.registration import pdf_clean, uploads
from ventanilla.registration.errors import UploadInvalid

from . import hostile

DEFAULT_PIXELS = 64_000_000
LIMITS = uploads.UploadLimits(max_bytes=10 * 1024 * 1024, max_pixels=DEFAULT_PIXELS,
                              pdf_max_memory=512 * 1024 * 1024, pdf_max_seconds=20)
TOO_MANY_PIXELS = ("The selected image must be smaller than 64 megapixels. Take the photo "
                   "again at a lower resolution")
DAMAGED = "The selected file is damaged. Save it again and upload it"


@pytest.fixture
def no_decoding(monkeypatch):
    """Fails the test if any image is decoded: the refusals below must come from the
    header alone."""
    from pillow_heif import as_plugin

    decoded: list[tuple[int, int]] = []

    def refuse(self, *args, **kwargs):
        decoded.append(self.size)
        raise AssertionError(f"an image of {self.size} was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)
    monkeypatch.setattr(as_plugin._LibHeifImageFile, "load", refuse)
    return decoded


def _refusal(data: bytes, *, limits: uploads.UploadLimits = LIMITS) -> UploadInvalid:
    with pytest.raises(UploadInvalid) as exc:
        uploads.upload_prepare(data=data, limits=limits)
    return exc.value


# --- images: the pixel cap, read from the header ---------------------------------------------

@pytest.mark.parametrize("width,height", [
    (20_000, 20_000),  # Pillow itself raises DecompressionBombError (over 2 x 89 MP)
    (12_000, 12_000),  # Pillow only warns (over 89 MP)
    (8_000, 8_001),    # only our cap (64 MP) stands in the way
], ids=["20000x20000-bomb-error", "12000x12000-bomb-warning", "just-over-64-mp"])
def test_image_over_the_pixel_cap_is_refused_from_its_header(width, height, no_decoding):
    data = hostile.huge_png(width, height)
    assert len(data) < 500_000  # tiny on disk, width * height bytes to decode
    error = _refusal(data)
    assert error.fields == {"file": TOO_MANY_PIXELS}
    assert error.status == 422 and error.code == "UPLOAD_INVALID"
    assert no_decoding == []


@pytest.mark.filterwarnings("error::PIL.Image.DecompressionBombWarning")
def test_decompression_bomb_warning_raised_as_an_error_is_still_a_refusal(no_decoding):
    assert _refusal(hostile.huge_png(12_000, 12_000)).fields == {"file": TOO_MANY_PIXELS}


def test_image_at_the_configured_cap_is_stored_and_one_pixel_more_is_refused(no_decoding,
                                                                             monkeypatch):
    limits = uploads.UploadLimits(**{**LIMITS.__dict__, "max_pixels": 1_000_000})
    over = hostile.image("PNG", (1000, 1001))
    error = _refusal(over, limits=limits)
    assert error.fields == {"file": "The selected image must be smaller than 1 megapixels. "
                                    "Take the photo again at a lower resolution"}
    monkeypatch.undo()  # decoding allowed again: the image at the cap is stored
    stored = uploads.upload_prepare(data=hostile.image("PNG", (1000, 1000)), limits=limits)
    with Image.open(io.BytesIO(stored.data)) as img:
        assert (img.format, img.size) == ("PNG", (1000, 1000))


def test_heic_over_the_pixel_cap_is_refused_from_its_header(no_decoding):
    limits = uploads.UploadLimits(**{**LIMITS.__dict__, "max_pixels": 300_000})
    error = _refusal(hostile.image("HEIF", (640, 480)), limits=limits)
    assert error.fields == {"file": "The selected image must be smaller than 0.3 megapixels. "
                                    "Take the photo again at a lower resolution"}
    assert no_decoding == []


def test_jpeg_is_decoded_at_reduced_scale_not_in_full(monkeypatch):
    decoded: list[tuple[int, int]] = []
    load = ImageFile.ImageFile.load

    def spy(self):
        decoded.append(self.size)
        return load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)
    data = hostile.image("JPEG", (6000, 4000), mode="L")
    stored = uploads.upload_prepare(data=data, limits=LIMITS)
    # The one full decode is at half scale (a quarter of the pixels, DCT scaling); later
    # loads are of the already shrunk image.
    assert decoded[0] == (3000, 2000)
    assert max(w * h for w, h in decoded) == 3000 * 2000
    with Image.open(io.BytesIO(stored.data)) as img:
        assert img.size == (2400, 1600)


def test_wide_jpeg_is_reduced_by_its_long_side(monkeypatch):
    decoded: list[tuple[int, int]] = []
    load = ImageFile.ImageFile.load
    monkeypatch.setattr(ImageFile.ImageFile, "load",
                        lambda self: decoded.append(self.size) or load(self))
    uploads.upload_prepare(data=hostile.image("JPEG", (12_000, 2_000), mode="L"), limits=LIMITS)
    assert decoded[0] == (3000, 500)  # 1/4: still covers the stored 2400 x 400
    assert max(w * h for w, h in decoded) == 3000 * 500


def test_truncated_jpeg_is_refused_as_damaged_not_a_500():
    data = hostile.image("JPEG", (800, 600))
    assert _refusal(data[: len(data) // 2]).fields == {"file": DAMAGED}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fmt=st.sampled_from(["PNG", "JPEG"]), position=st.integers(min_value=0),
       byte=st.integers(min_value=0, max_value=255), cut=st.booleans())
def test_a_mutated_image_is_stored_or_refused_never_an_error(fmt, position, byte, cut):
    data = bytearray(hostile.image(fmt, (64, 48)))
    position %= len(data)
    data[position] = byte
    if cut:
        del data[position:]
    try:
        stored = uploads.upload_prepare(data=bytes(data), limits=LIMITS)
    except UploadInvalid as exc:
        assert set(exc.fields) == {"file"}
    else:
        assert stored.content_type in uploads.STORED_CONTENT_TYPES
        with Image.open(io.BytesIO(stored.data)) as img:
            img.load()


# --- PDFs: active content is removed ----------------------------------------------------------

def _hazards(data: bytes) -> set[str]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return pdf_clean.hazards(pdf)


def _page_text(data: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 1
        return pdf.pages[0].obj.Contents.read_bytes()


@pytest.mark.parametrize("kind", list(hostile.REMOVABLE))
def test_active_content_is_removed_from_a_pdf_and_the_page_kept(kind):
    data = hostile.hostile_pdf(kind)
    category = hostile.REMOVABLE[kind](hostile.base_pdf())
    assert category in _hazards(data)  # the crafted file really carries it
    clean, removed = pdf_clean.clean(data)
    assert _hazards(clean) == set()
    assert category in removed
    assert _page_text(clean) == hostile.PAGE_TEXT


@settings(max_examples=25, deadline=None)
@given(kinds=st.sets(st.sampled_from(sorted(hostile.REMOVABLE)), min_size=1))
def test_any_mix_of_active_content_is_removed(kinds):
    clean, removed = pdf_clean.clean(hostile.hostile_pdf(*sorted(kinds)))
    assert _hazards(clean) == set()
    expected = {hostile.REMOVABLE[k](hostile.base_pdf()) for k in kinds}
    assert expected <= set(removed)
    assert _page_text(clean) == hostile.PAGE_TEXT


def test_a_harmless_go_to_survives_while_its_chained_script_goes():
    clean, _ = pdf_clean.clean(hostile.hostile_pdf("chained-javascript"))
    with pikepdf.open(io.BytesIO(clean)) as pdf:
        assert str(pdf.Root.OpenAction.S) == "/GoTo"
        assert "/Next" not in pdf.Root.OpenAction


def test_pdf_upload_is_stored_rewritten_through_the_child_process():
    stored = uploads.upload_prepare(data=hostile.hostile_pdf(*hostile.REMOVABLE), limits=LIMITS)
    assert stored.content_type == "application/pdf"
    assert _hazards(stored.data) == set()
    assert set(stored.removed) == {"embedded_files", "external_links", "javascript", "launch",
                                   "multimedia", "xfa"}


def test_owner_password_pdf_is_stored_without_its_encryption():
    stored = uploads.upload_prepare(data=hostile.encrypted_pdf(user_password=""), limits=LIMITS)
    with pikepdf.open(io.BytesIO(stored.data)) as pdf:
        assert not pdf.is_encrypted


# --- PDFs: what is refused -------------------------------------------------------------------

NOT_REMOVABLE = ("The selected PDF contains web page code or active content that cannot be "
                 "removed. Save it again as a PDF (for example with Print, then Save as PDF) "
                 "and upload it")
NOT_CHECKED = ("The selected PDF could not be checked. Save it again as a PDF (for example "
               "with Print, then Save as PDF) and upload it")


@pytest.mark.parametrize("build,message", [
    (hostile.html_polyglot, NOT_REMOVABLE),
    (hostile.html_before_header, "The selected file must be a JPG, PNG, HEIC or PDF"),
    (hostile.javascript_in_an_unknown_slot, NOT_REMOVABLE),
    (hostile.encrypted_pdf, "The selected PDF is protected with a password. Save it without "
                            "the password and upload it"),
    (hostile.broken_pdf, DAMAGED),
], ids=["html-polyglot", "html-before-header", "script-in-unknown-slot", "password",
        "broken"])
def test_hostile_pdf_is_refused_with_a_message_naming_the_field(build, message):
    assert _refusal(build()).fields == {"file": message}


def test_pdf_needing_more_memory_than_the_limit_is_refused_not_emptied():
    # 128 MB inflated from a 130 KB file; the child may use 96 MB. qpdf alone would read the
    # object as null and carry on, storing an emptied document.
    bomb = hostile.object_stream_bomb(128 << 20)
    assert len(bomb) < 200_000
    limits = uploads.UploadLimits(**{**LIMITS.__dict__, "pdf_max_memory": 96 << 20})
    assert _refusal(bomb, limits=limits).fields == {"file": NOT_CHECKED}


def test_pdf_check_out_of_time_is_a_refusal(monkeypatch):
    def slow(*args, **kwargs):
        raise subprocess.TimeoutExpired(cmd="pdf_clean", timeout=40)

    monkeypatch.setattr(uploads.subprocess, "run", slow)
    assert _refusal(hostile.pdf_bytes(hostile.base_pdf())).fields == {"file": NOT_CHECKED}


@pytest.mark.parametrize("head", [
    b"%PDF-1.4\n%<html>", b"%PDF-1.4 <SCRIPT src=x>", b"%PDF-1.7\n<!-- -->",
    b"%PDF-1.4\n<iframe/src=x>", b"%PDF-1.4\n<!DOCTYPE html>",
])
def test_html_markup_in_the_first_bytes_is_detected(head):
    assert pdf_clean.looks_like_html(head + b"\n1 0 obj<<>>endobj")


@pytest.mark.parametrize("head", [
    b"%PDF-1.4\n1 0 obj<</ID[<a1f0><DEADBEEF>]>>endobj", b"%PDF-1.4\n<<>>", b"%PDF-1.7\n<a b>",
])
def test_pdf_syntax_is_not_mistaken_for_html(head):
    assert not pdf_clean.looks_like_html(head)


# --- serving a stored file -------------------------------------------------------------------

@pytest.mark.parametrize("content_type,expected", [
    ("application/pdf", uploads.Serving("application/pdf", True, "EC-7KQ29XW4P-identity.pdf")),
    ("image/jpeg", uploads.Serving("image/jpeg", False, "EC-7KQ29XW4P-identity.jpg")),
    ("image/png", uploads.Serving("image/png", False, "EC-7KQ29XW4P-identity.png")),
    ("text/html", uploads.Serving("application/octet-stream", True, "EC-7KQ29XW4P-identity")),
], ids=["pdf-download", "jpeg-inline", "png-inline", "anything-else-opaque-download"])
def test_a_stored_file_is_served_as_a_download_or_an_image_never_as_a_page(content_type,
                                                                            expected):
    assert uploads.stored_file_serving(content_type, name="EC-7KQ29XW4P-identity") == expected


def test_the_served_file_name_keeps_only_safe_characters():
    serving = uploads.stored_file_serving("image/png", name='EC-1/../"x y\r\n.png')
    assert serving.filename == "EC-1-x-y-png.png"


@pytest.mark.parametrize("fmt", ["JPEG", "HEIF"])
def test_truncated_photo_is_refused_even_after_weasyprint_allowed_truncated_images(fmt,
                                                                                  monkeypatch):
    import weasyprint  # noqa: F401 - its import turns LOAD_TRUNCATED_IMAGES on

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    data = hostile.image(fmt, (800, 600))
    assert _refusal(data[: len(data) // 2]).fields == {"file": DAMAGED}
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # WeasyPrint's setting is given back
