"""Logo uploads bounded in memory: pixel dimensions checked from the header before any
decoding, decoding only once the rest of the form is valid, a worker under 150 MB."""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from tests.conftest import sign_in
from tests.factories import make_association, make_user
from twinning.associations.models import Association
from twinning.associations.uploads import MAX_LOGO_PIXELS, MAX_LOGO_SIDE, check_logo, save_logo, store_logo
from twinning.core.errors import ValidationError

ROOT = Path(__file__).resolve().parents[2]


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def crafted_png(width: int, height: int, *, pixels: bool = True, broken: bool = False) -> bytes:
    """An RGB PNG of any size, built without ever holding its pixels: all-black rows streamed
    through zlib (a 6000 × 6000 one is 100 KB and decodes to 108 MB — a decompression bomb).
    ``pixels=False`` leaves a stub IDAT; ``broken`` writes IDAT bytes that are not zlib at all,
    with correct chunk checksums, so only decoding can tell."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    if broken:
        data = b"\xff" * 64
    elif not pixels:
        data = zlib.compress(b"\0" * 16)
    else:
        compressor = zlib.compressobj(9)
        row = b"\0" * (1 + 3 * width)
        parts, rows_per_block = [], max(1, (1 << 20) // len(row))
        for start in range(0, height, rows_per_block):
            parts.append(compressor.compress(row * min(rows_per_block, height - start)))
        parts.append(compressor.flush())
        data = b"".join(parts)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def _image(size, mode="RGB", fmt="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, (25, 72, 106, 255)[: len(mode)] if mode != "P" else 3).save(buffer, format=fmt)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("width", "height"),
    [
        (MAX_LOGO_SIDE + 1, 10),
        (10, MAX_LOGO_SIDE + 1),
        (2500, 2500),
        (MAX_LOGO_SIDE, 1501),
        (6000, 6000),
        (20_000, 20_000),
        (65_535, 65_535),
    ],
)
def test_too_many_pixels_are_refused_from_the_header(ctx, width, height):
    data = crafted_png(width, height, pixels=width * height <= 36_000_000)
    assert len(data) < 2 * 1024 * 1024
    with pytest.raises(ValidationError) as caught:
        check_logo(data)
    assert caught.value.field == "logo" and "höchstens 4000 Pixel breit oder hoch" in str(
        caught.value.message
    )


@pytest.mark.parametrize(
    ("size", "mode", "fmt"),
    [
        ((MAX_LOGO_SIDE, MAX_LOGO_PIXELS // MAX_LOGO_SIDE), "RGBA", "PNG"),
        ((2449, 2449), "RGBA", "PNG"),
        ((MAX_LOGO_SIDE, 300), "RGB", "JPEG"),
        ((600, 300), "RGB", "WEBP"),
        ((300, 600), "P", "PNG"),
    ],
)
def test_logos_up_to_the_limit_are_shrunk_and_reencoded(ctx, app, size, mode, fmt):
    name = store_logo(_image(size, mode, fmt))
    with Image.open(Path(app.config["UPLOAD_FOLDER"]) / "logos" / name) as image:
        assert image.format == "PNG" and max(image.size) == 256 and image.mode == "RGBA"


def test_checking_does_not_decode_but_saving_does(ctx, app):
    checked = check_logo(crafted_png(400, 400, broken=True))  # header and checksums are fine
    assert not (Path(app.config["UPLOAD_FOLDER"]) / "logos" / checked.name).exists()
    with pytest.raises(ValidationError) as caught:
        save_logo(checked)
    assert "PNG-, JPEG- oder WebP-Bild" in str(caught.value.message)
    assert not (Path(app.config["UPLOAD_FOLDER"]) / "logos" / checked.name).exists()


def _post(client, path, data, logo: bytes):
    return client.post(
        path, data=data | {"logo": (io.BytesIO(logo), "logo.png")}, content_type="multipart/form-data"
    )


def _logo_files(app) -> set[str]:
    folder = Path(app.config["UPLOAD_FOLDER"]) / "logos"
    return {path.name for path in folder.iterdir()} if folder.exists() else set()


def test_a_logo_is_decoded_only_after_the_rest_of_the_form_is_valid(client, session, app):
    make_association(session, name="Freunde Łódź", slug="freunde-lodz")
    make_user(session, email="founder@example.org")
    sign_in(client, "founder@example.org")
    files = _logo_files(app)
    data = {"name": "Freunde Łódź", "city": "Łódź", "country": "PL", "join_policy": "open"}
    # The name is taken: that is what the form says, because the (undecodable) logo was never decoded.
    response = _post(client, "/associations/new", data, crafted_png(400, 400, broken=True))
    page = response.get_data(as_text=True)
    assert (
        response.status_code == 400 and "gibt es bereits" in page and "PNG-, JPEG- oder WebP-Bild" not in page
    )
    # With a free name the logo is decoded, refused, and nothing is written: no row, no file.
    response = _post(
        client, "/associations/new", data | {"name": "Freunde Lodz neu"}, crafted_png(400, 400, broken=True)
    )
    assert response.status_code == 400 and "PNG-, JPEG- oder WebP-Bild" in response.get_data(as_text=True)
    assert 'value="Freunde Lodz neu"' in response.get_data(as_text=True)
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Association)) == 1
    assert _logo_files(app) == files


def test_the_settings_form_refuses_a_bomb_with_a_clear_message(client, session, app):
    admin = make_user(session, email="admin@example.org")
    make_association(session, name="Verein", slug="verein", admin=admin)
    sign_in(client, "admin@example.org")
    data = {
        "name": "Verein",
        "city": "Aachen",
        "country": "DE",
        "join_policy": "open",
        "moderation_policy": "all",
    }
    response = _post(client, "/a/verein/settings", data, crafted_png(6000, 6000))
    assert response.status_code == 400
    assert "höchstens 6 Millionen Pixel" in response.get_data(as_text=True)
    session.expire_all()
    assert session.scalar(select(Association.logo).where(Association.slug == "verein")) is None
    assert _post(client, "/a/verein/settings", data, _image((800, 400))).status_code == 302


# Runs in a fresh interpreter and reads the peak resident size (VmHWM) of its own memory:
# ru_maxrss would not do, Linux carries it over from the forking pytest process through exec.
_WORKER = textwrap.dedent("""
    import json, re, sys, tempfile
    from pathlib import Path

    def memory_kb():
        status = Path("/proc/self/status").read_text()
        return {key: int(re.search(key + r":\\s+(\\d+)", status).group(1)) for key in ("VmRSS", "VmHWM")}

    from tests.factories import make_association, make_user
    from twinning import create_app, migrate
    from twinning.associations.models import Role
    from twinning.core.extensions import db

    folder = Path(tempfile.mkdtemp())
    url = f"sqlite:///{folder / 'memory.sqlite'}"
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "memory", "WTF_CSRF_ENABLED": False,
                      "BASE_URL": "http://localhost", "UPLOAD_FOLDER": str(folder / "uploads"),
                      "OUTBOX_FOLDER": str(folder / "outbox"), "MAIL_SERVER": None})
    migrate.upgrade(url)
    logos = [Path(path).read_bytes() for path in sys.argv[1:]]
    with app.app_context():
        admin = make_user(db.session, email="admin@example.org")
        make_association(db.session, name="Verein", slug="verein", admin=admin)
        db.session.commit()
    client = app.test_client()
    client.post("/auth/login", data={"email": "admin@example.org", "password": "correct horse battery"})
    form = {"name": "Verein", "city": "Aachen", "country": "DE", "join_policy": "open", "moderation_policy": "all"}

    def upload(data):
        import io
        response = client.post("/a/verein/settings", data=form | {"logo": (io.BytesIO(data), "logo.png")},
                               content_type="multipart/form-data")
        return response.status_code

    upload(logos[-1])  # a small one first: every module loaded, every template compiled
    before = memory_kb()
    statuses = [upload(logos[n % len(logos)]) for n in range(20)]
    after = memory_kb()
    print(json.dumps({"before_kb": before["VmRSS"], "peak_kb": after["VmHWM"], "after_kb": after["VmRSS"],
                      "statuses": statuses}))
""")


def test_twenty_logo_uploads_in_a_row_stay_under_150_mb(tmp_path):
    """The largest allowed logo (4000 × 1500, RGBA), two decompression bombs and a small logo,
    five rounds, through the real settings view in a fresh process: the peak resident size
    stays under 150 MB (before: 6000 × 6000 accepted, decoded and converted whole, ~250 MB)."""
    logos = [
        crafted_png(6000, 6000),  # 100 KB that would decode to 108 MB
        _image(
            (MAX_LOGO_SIDE, MAX_LOGO_PIXELS // MAX_LOGO_SIDE), "RGBA"
        ),  # the most pixels allowed: 24 MB decoded
        crafted_png(20_000, 20_000, pixels=False),
        _image((800, 400)),
    ]
    paths = []
    for n, data in enumerate(logos):
        path = tmp_path / f"logo{n}.png"
        path.write_bytes(data)
        paths.append(str(path))
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    env.pop("TWINNING_TEST_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", _WORKER, *paths],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    assert measured["statuses"] == [400, 302, 400, 302] * 5
    # The whole process, app and all, never held more than 150 MB …
    assert measured["peak_kb"] < 150 * 1024, measured
    # … and the twenty uploads together added about one decoded logo (24 MB) at most on top
    # of the warmed-up app: nothing piles up from one upload to the next.
    assert measured["peak_kb"] - measured["before_kb"] < 35 * 1024, measured
