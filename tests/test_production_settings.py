"""Production settings checked at start: the app refuses to run with weak ones, and says why."""

from __future__ import annotations

import importlib.util
from types import SimpleNamespace

import pytest
from flask import Flask

import config
from twinning import ROOT
from twinning.cli import demo
from twinning.demo.users import DEMO_PASSWORD

GOOD_KEY = "9f2c4e1b7a8d3f6e0c5b9a2d4e7f1c3b8a6d0e2f4c9b7a1d3e5f8c0b2a4d6e9f"
PRODUCTION = {
    "TWINNING_ENV": "production",
    "TWINNING_SECRET_KEY": GOOD_KEY,
    "TWINNING_BASE_URL": "https://twinning.example.org",
    "TWINNING_RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379",
}


def _load(monkeypatch, tmp_path, **env):
    """``config.load`` on a bare app with exactly these TWINNING_* settings (None = unset)."""
    for name in ("ENV", "SECRET_KEY", "BASE_URL", "RATELIMIT_STORAGE_URI", "WORKERS", "PROXY_HOPS"):
        monkeypatch.delenv(f"TWINNING_{name}", raising=False)
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    for name, value in ({**PRODUCTION, **env}).items():
        if value is not None:
            monkeypatch.setenv(name, value)
    app = Flask("probe", instance_path=str(tmp_path / "instance"))
    config.load(app, {"DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite'}"})
    return app.config


def test_good_production_settings_start_with_secure_cookies(monkeypatch, tmp_path):
    settings = _load(monkeypatch, tmp_path)
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["REMEMBER_COOKIE_SECURE"] is True
    assert settings["PREFERRED_URL_SCHEME"] == "https"


@pytest.mark.parametrize(
    "key",
    [
        "too-short-but-random-Zq81",  # 25 bytes
        GOOD_KEY[:31],
    ],
)
def test_a_short_secret_key_is_refused(monkeypatch, tmp_path, key):
    with pytest.raises(config.ConfigurationError, match="at least 32 random bytes"):
        _load(monkeypatch, tmp_path, TWINNING_SECRET_KEY=key)


@pytest.mark.parametrize(
    "key",
    [
        "change-me-change-me-change-me-change-me",
        "my-super-secret-key-for-twinning-2026!",
        "x" * 64,
        "0123456789" * 4,  # long enough, but ten characters only
    ],
)
def test_a_placeholder_secret_key_is_refused(monkeypatch, tmp_path, key):
    with pytest.raises(config.ConfigurationError, match="placeholder"):
        _load(monkeypatch, tmp_path, TWINNING_SECRET_KEY=key)


@pytest.mark.parametrize("value", ["prod", "Production", "staging", "test"])
def test_an_unknown_environment_is_refused(monkeypatch, tmp_path, value):
    with pytest.raises(config.ConfigurationError, match="TWINNING_ENV"):
        _load(monkeypatch, tmp_path, TWINNING_ENV=value)


def test_development_is_still_the_default(monkeypatch, tmp_path):
    settings = _load(
        monkeypatch, tmp_path, TWINNING_ENV=None, TWINNING_SECRET_KEY=None, TWINNING_BASE_URL=None
    )
    assert settings["ENV"] == "development"


@pytest.mark.parametrize("url", ["http://twinning.example.org", "twinning.example.org", ""])
def test_production_needs_an_https_base_url(monkeypatch, tmp_path, url):
    with pytest.raises(config.ConfigurationError, match="https://"):
        _load(monkeypatch, tmp_path, TWINNING_BASE_URL=url)


@pytest.mark.parametrize(
    ("storage", "workers", "concurrency", "refused"),
    [
        ("memory://", "2", None, True),
        ("memory://", None, "4", True),  # gunicorn's -w default comes from WEB_CONCURRENCY
        ("memory://", "1", None, False),
        ("memory://", None, None, False),
        (None, "3", None, True),  # memory:// is the default storage
        ("redis://127.0.0.1:6379", "8", None, False),
    ],
)
def test_memory_rate_limit_storage_with_several_workers_is_refused(
    monkeypatch, tmp_path, storage, workers, concurrency, refused
):
    env = {
        "TWINNING_RATELIMIT_STORAGE_URI": storage,
        "TWINNING_WORKERS": workers,
        "WEB_CONCURRENCY": concurrency,
    }
    if refused:
        with pytest.raises(config.ConfigurationError, match="memory://"):
            _load(monkeypatch, tmp_path, **env)
    else:
        _load(monkeypatch, tmp_path, **env)


def test_memory_storage_with_several_workers_is_fine_outside_production(monkeypatch, tmp_path):
    _load(
        monkeypatch,
        tmp_path,
        TWINNING_ENV="development",
        TWINNING_RATELIMIT_STORAGE_URI="memory://",
        TWINNING_WORKERS="4",
        TWINNING_BASE_URL="http://127.0.0.1:5000",
    )


def _gunicorn_config():
    spec = importlib.util.spec_from_file_location("gunicorn_conf", ROOT / "gunicorn.conf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("env", "storage", "workers", "refused"),
    [
        ("production", None, 4, True),
        ("production", "memory://", 2, True),
        ("production", "redis://127.0.0.1:6379", 4, False),
        ("production", None, 1, False),
        ("development", None, 4, False),
    ],
)
def test_gunicorn_refuses_memory_storage_with_several_workers(monkeypatch, env, storage, workers, refused):
    """``gunicorn -w 4`` is seen by the master before it starts a worker (gunicorn.conf.py)."""
    monkeypatch.setenv("TWINNING_ENV", env)
    if storage:
        monkeypatch.setenv("TWINNING_RATELIMIT_STORAGE_URI", storage)
    else:
        monkeypatch.delenv("TWINNING_RATELIMIT_STORAGE_URI", raising=False)
    server = SimpleNamespace(cfg=SimpleNamespace(workers=workers))
    if refused:
        with pytest.raises(config.ConfigurationError, match="memory://"):
            _gunicorn_config().on_starting(server)
    else:
        _gunicorn_config().on_starting(server)


@pytest.mark.parametrize("hops", ["-1", "two", "1.5", "true"])
def test_proxy_hops_must_be_a_whole_number(monkeypatch, tmp_path, hops):
    with pytest.raises(config.ConfigurationError, match="TWINNING_PROXY_HOPS"):
        _load(monkeypatch, tmp_path, TWINNING_ENV="development", TWINNING_PROXY_HOPS=hops)


def test_demo_refuses_the_public_password_in_production(app, monkeypatch):
    monkeypatch.setitem(app.config, "ENV", "production")
    runner = app.test_cli_runner()
    for args in ([], ["--password", DEMO_PASSWORD]):
        result = runner.invoke(demo, args)
        assert result.exit_code != 0
        assert "--password" in result.output


def test_demo_in_production_uses_the_password_given(app, session, monkeypatch):
    from twinning.auth.services import authenticate

    monkeypatch.setitem(app.config, "ENV", "production")
    result = app.test_cli_runner().invoke(demo, ["--password", "our own demo pw 2026"])
    assert result.exit_code == 0, result.output
    assert authenticate(session, "admin@example.org", "our own demo pw 2026") is not None
    assert authenticate(session, "admin@example.org", DEMO_PASSWORD) is None
