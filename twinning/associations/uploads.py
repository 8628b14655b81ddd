"""Logo uploads: checked by content and header with Pillow before anything is decoded;
decoded, thumbnailed and re-encoded without metadata only once the rest of the form is valid."""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError

from twinning.core.errors import ValidationError

MAX_LOGO_BYTES = 2 * 1024 * 1024
LOGO_SIZE = (256, 256)
# At most this many pixels a side, and this many in all: decoded, a logo then takes at most
# 6,000,000 × 4 bytes (24 MB) for a moment. A worker holds about 110 MB once it has served
# a sign-in, so it stays under 150 MB (tests/associations/test_logo_limits.py measures it);
# 4000 × 4000 (64 MB decoded) would not.
MAX_LOGO_SIDE = 4000
MAX_LOGO_PIXELS = 6_000_000
_ALLOWED_FORMATS = {"PNG", "JPEG", "WEBP"}
# Pillow itself refuses to open anything twice this size (a decompression bomb) and warns
# above it; our own check below refuses everything above the limit before decoding.
Image.MAX_IMAGE_PIXELS = MAX_LOGO_PIXELS
_STRIP_BYTES = 2 * 1024 * 1024
_NOT_AN_IMAGE = _l("The logo must be a PNG, JPEG or WebP image.")
_TOO_LARGE = _l(
    "The logo may be at most %(side)d pixels wide or high and have at most %(millions)d million "
    "pixels in all. Please make it smaller.",
    side=MAX_LOGO_SIDE,
    millions=MAX_LOGO_PIXELS // 1_000_000,
)


@dataclass(frozen=True)
class CheckedLogo:
    """An upload whose size, format and pixel dimensions were read from its header only;
    ``name`` is the file it will be stored under once ``save_logo`` decoded it."""

    data: bytes
    name: str


def logo_folder() -> Path:
    folder = Path(current_app.config["UPLOAD_FOLDER"]) / "logos"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def check_logo(data: bytes) -> CheckedLogo:
    """Everything that can be told without decoding: byte size, format by content, pixel
    dimensions from the header (``Image.open`` is lazy) and the chunk structure."""
    if len(data) > MAX_LOGO_BYTES:
        raise ValidationError(_l("The logo may be at most 2 MB."), "logo")
    if not data:
        raise ValidationError(_l("The logo file is empty."), "logo")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in _ALLOWED_FORMATS:
                raise ValidationError(_NOT_AN_IMAGE, "logo")
            width, height = probe.size
            if width > MAX_LOGO_SIDE or height > MAX_LOGO_SIDE or width * height > MAX_LOGO_PIXELS:
                raise ValidationError(_TOO_LARGE, "logo")
            probe.verify()  # checksums and structure, without decoding the pixels
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(_TOO_LARGE, "logo") from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(_NOT_AN_IMAGE, "logo") from error
    return CheckedLogo(data=data, name=f"{secrets.token_hex(16)}.png")


def save_logo(logo: CheckedLogo) -> str:
    """Decode, shrink and re-encode a checked logo into the logo folder; call it only once
    the rest of the form is valid, so a refused form never costs a decode."""
    try:
        with Image.open(io.BytesIO(logo.data)) as image:
            converted = _shrunk(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(_TOO_LARGE, "logo") from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(_NOT_AN_IMAGE, "logo") from error
    output = io.BytesIO()
    # A fresh PNG carries no EXIF or other metadata of the original.
    converted.save(output, format="PNG", optimize=True)
    (logo_folder() / logo.name).write_bytes(output.getvalue())
    return logo.name


def _shrunk(image: Image.Image) -> Image.Image:
    """The logo at LOGO_SIZE in RGBA, holding the decoded full-size image once and nothing
    else of its size: Pillow's own thumbnail() of an RGBA image makes a premultiplied
    full-size copy (twice the memory), so the first, coarse step runs strip by strip."""
    # A JPEG can be decoded at 1/2, 1/4 or 1/8 of its size right away (no-op for others).
    image.draft("RGB", (LOGO_SIZE[0] * 2, LOGO_SIZE[1] * 2))
    image.load()
    width, height = image.size
    scale = min(LOGO_SIZE[0] / width, LOGO_SIZE[1] / height)
    factor = max(1, int(1 / (2 * scale)))  # the reduced copy keeps twice the final size
    if factor == 1:
        small = image.convert("RGBA")
    else:
        small = Image.new("RGBA", (-(-width // factor), -(-height // factor)))
        rows = max(factor, (_STRIP_BYTES // (width * 4)) // factor * factor)
        for top in range(0, height, rows):
            strip = image.crop((0, top, width, min(height, top + rows))).convert("RGBA")
            small.paste(strip.reduce(factor), (0, top // factor))
    small.thumbnail(LOGO_SIZE)
    return small


def store_logo(data: bytes) -> str:
    """Check and re-encode an uploaded logo; returns the new file name in the logo folder."""
    return save_logo(check_logo(data))


def delete_logo(name: str | None) -> None:
    if not name:
        return
    path = logo_folder() / Path(name).name
    path.unlink(missing_ok=True)
