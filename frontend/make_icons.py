"""Draw Ventanilla's PNG app icons (apple-touch-icon and web-manifest icons).

Run with `make icons` (uses the project's Pillow: `uv run python frontend/make_icons.py`).
The output is committed; re-run only if the favicon design changes. The geometry is the
same as ventanilla/static/images/favicon.svg (a service window over a counter), drawn on a
full-bleed background so the icons also work as "maskable" icons (content stays inside the
central 80 % safe zone).
"""

from pathlib import Path

from PIL import Image, ImageDraw

BACKGROUND = "#0b2e4f"
FOREGROUND = "#ffffff"
OUT = Path(__file__).resolve().parent.parent / "ventanilla" / "static" / "images"


def draw(size: int) -> Image.Image:
    # Draw at 4x and downsample for smooth edges.
    big = size * 4
    img = Image.new("RGB", (big, big), BACKGROUND)
    d = ImageDraw.Draw(img)
    # The favicon's 32-unit design, scaled to 60 % of the icon and centred.
    unit = big * 0.6 / 32
    off = (big - 32 * unit) / 2

    def xy(x: float, y: float) -> tuple[float, float]:
        return off + x * unit, off + y * unit

    stroke = round(2.5 * unit)
    d.rounded_rectangle(
        (*xy(8.25 - 1.25, 5.25 - 1.25), *xy(23.75 + 1.25, 19.75 + 1.25)),
        radius=round(1.5 * unit),
        outline=FOREGROUND,
        width=stroke,
    )
    d.line((*xy(16, 5.5), *xy(16, 19.5)), fill=FOREGROUND, width=stroke)
    d.line((*xy(8.5, 12.5), *xy(23.5, 12.5)), fill=FOREGROUND, width=stroke)
    d.rounded_rectangle((*xy(5, 22), *xy(27, 26)), radius=round(unit), fill=FOREGROUND)
    return img.resize((size, size), Image.Resampling.LANCZOS)


if __name__ == "__main__":
    for size in (180, 192, 512):
        path = OUT / f"icon-{size}.png"
        draw(size).save(path, optimize=True)
        print(path.relative_to(OUT.parent.parent.parent), path.stat().st_size, "bytes")
