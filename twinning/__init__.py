"""Twinning: a participatory platform for town-twinning associations."""

from __future__ import annotations

import gc
from pathlib import Path

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import generate_csrf

import config

# Import the module, not its names: binding ``db`` here would shadow the twinning.core.db module.
from twinning import permissions, topics
from twinning.core import assets, errors, extensions, i18n, navigation, pagecache, sections, security

ROOT = Path(__file__).resolve().parent.parent


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    config.load(app, overrides)
    app.jinja_env.add_extension("jinja2.ext.do")
    # Every form validates its token through Flask-WTF's FlaskForm (twinning.core.forms.Form);
    # plain POST buttons in templates carry the same token.
    app.jinja_env.globals["csrf_token"] = generate_csrf

    extensions.db.init_app(app)
    login_manager = extensions.login_manager
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to continue.")
    login_manager.login_message_category = "info"
    extensions.babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        default_translation_directories=str(ROOT / "twinning" / "translations"),
    )
    extensions.limiter.init_app(app)

    i18n.init_app(app)
    navigation.init_app(app)
    permissions.init_app(app)
    sections.init_app(app)
    topics.init_app(app)
    security.init_app(app)
    assets.init_app(app)
    pagecache.init_app(app)  # after assets and security: see its docstring
    errors.register_error_handlers(app)
    _register_features(app)

    from twinning.cli import register_commands

    register_commands(app)
    security.trust_proxies(app)  # outermost, so every layer sees the client's address
    # The app's long-lived objects (routes, templates' code, metadata) would otherwise be
    # walked by every full garbage collection, a pause of tens of milliseconds every few
    # dozen requests; freezing them leaves the collector only the requests' own garbage.
    gc.freeze()
    return app


def _register_features(app: Flask) -> None:
    """Each feature registers itself: its blueprints, content kinds, page sections, rule hooks.

    In this order: the blueprints' routes are matched in registration order.
    """
    from twinning import (
        admin,
        associations,
        auth,
        groups,
        involve,
        moderation,
        network,
        notifications,
        pages,
        proposals,
    )

    for feature in (
        pages,
        auth,
        associations,
        admin,
        proposals,
        moderation,
        notifications,
        groups,
        network,
        involve,
    ):
        feature.init_app(app)
