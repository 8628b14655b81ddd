"""Fingerprinted static URLs with long caching, and compressed pages."""

from __future__ import annotations

import gzip
import re


def test_static_urls_carry_a_content_hash_and_are_cached_for_a_year(client):
    page = client.get("/").get_data(as_text=True)
    url = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]{12})"', page).group(1)
    with client.get(url) as response:  # a file response: close it
        assert response.status_code == 200
        assert response.cache_control.max_age == 365 * 24 * 3600
        assert response.cache_control.immutable


def test_static_without_current_hash_is_not_cached_for_long(client):
    with client.get("/static/css/app.css?v=000000000000") as response:
        assert response.cache_control.max_age != 365 * 24 * 3600


def test_pages_are_compressed_when_the_client_accepts_it(client):
    response = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert b"<html" in gzip.decompress(response.data)
    assert "Accept-Encoding" in response.headers["Vary"]
