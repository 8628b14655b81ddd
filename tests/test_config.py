"""Configuration from the environment."""

from __future__ import annotations

import pytest

import config
from twinning import create_app


def test_production_refuses_to_start_without_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("TWINNING_ENV", "production")
    monkeypatch.delenv("TWINNING_SECRET_KEY", raising=False)
    with pytest.raises(config.ConfigurationError, match="TWINNING_SECRET_KEY"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite'}"})


def test_environment_prefix_is_read(monkeypatch, tmp_path):
    monkeypatch.setenv("TWINNING_RATELIMIT_ENABLED", "false")
    monkeypatch.setenv("TWINNING_BASE_URL", "https://twinning.aachen.example")
    monkeypatch.setenv("TWINNING_DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite'}")
    monkeypatch.setenv("TWINNING_SECRET_KEY", "from-env")
    from flask import Flask

    app = Flask("probe", instance_path=str(tmp_path / "instance"))
    config.load(app)
    assert app.config["RATELIMIT_ENABLED"] is False
    assert app.config["BASE_URL"] == "https://twinning.aachen.example"
    assert app.config["SECRET_KEY"] == "from-env"


def test_development_secret_is_generated_once_and_kept(monkeypatch, tmp_path):
    monkeypatch.delenv("TWINNING_SECRET_KEY", raising=False)
    from flask import Flask

    first = Flask("a", instance_path=str(tmp_path))
    config.load(first)
    second = Flask("b", instance_path=str(tmp_path))
    config.load(second)
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) >= 32
    assert first.config["DATABASE_URL"].startswith("sqlite:///")
