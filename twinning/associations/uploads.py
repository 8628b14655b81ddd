"""Logo uploads: checked by content with Pillow, re-encoded without metadata, thumbnailed."""

from __future__ import annotations

import io
import secrets
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError

from twinning.errors import ValidationError

MAX_LOGO_BYTES = 2 * 1024 * 1024
LOGO_SIZE = (256, 256)
_ALLOWED_FORMATS = {"PNG", "JPEG", "WEBP"}
# Refuse decompression bombs early: a 2 MB file may still claim gigapixels.
_MAX_PIXELS = 40_000_000


def logo_folder() -> Path:
    folder = Path(current_app.config["UPLOAD_FOLDER"]) / "logos"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store_logo(data: bytes) -> str:
    """Check and re-encode an uploaded logo; returns the new file name in the logo folder."""
    if len(data) > MAX_LOGO_BYTES:
        raise ValidationError(_l("The logo may be at most 2 MB."), "logo")
    if not data:
        raise ValidationError(_l("The logo file is empty."), "logo")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in _ALLOWED_FORMATS:
                raise ValidationError(_l("The logo must be a PNG, JPEG or WebP image."), "logo")
            if probe.width * probe.height > _MAX_PIXELS:
                raise ValidationError(_l("The logo image is too large."), "logo")
            probe.verify()
        # verify() leaves the image unusable: open it again to decode it.
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            converted = image.convert("RGBA")
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError(_l("The logo must be a PNG, JPEG or WebP image."), "logo") from error
    converted.thumbnail(LOGO_SIZE)
    output = io.BytesIO()
    # A fresh PNG carries no EXIF or other metadata of the original.
    converted.save(output, format="PNG", optimize=True)
    name = f"{secrets.token_hex(16)}.png"
    (logo_folder() / name).write_bytes(output.getvalue())
    return name


def delete_logo(name: str | None) -> None:
    if not name:
        return
    path = logo_folder() / Path(name).name
    path.unlink(missing_ok=True)
