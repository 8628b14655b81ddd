"""Account use cases: each takes the actor explicitly, flushes, never commits."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from twinning.auth.display_names import check_display_name
from twinning.auth.models import User
from twinning.auth.passwords import check_new_password
from twinning.auth.tokens import (
    CONFIRM_MAX_AGE,
    EMAIL_CHANGE_MAX_AGE,
    RESET_MAX_AGE,
    TokenInvalid,
    fingerprint,
    make_token,
    read_token,
)
from twinning.core.db import utcnow
from twinning.core.errors import InvalidState, ValidationError
from twinning.core.mail import absolute_url, queue_mail

# OWASP's argon2id setting (19 MiB, 2 passes): argon2-cffi's default takes 64 MiB per
# hash, which would dominate a web worker's memory; older hashes are upgraded at sign-in.
_hasher = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)
# Verified against when the account does not exist, so a failed sign-in takes as long
# whether or not the address is known.
_DUMMY_HASH = _hasher.hash("twinning-no-such-account")


def normalize_email(email: str) -> str:
    return email.strip().lower()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _verify_current_password(user: User, password: str, field: str) -> None:
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError) as error:
        raise ValidationError(_l("The current password is not correct."), field) from error


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalize_email(email)))


def email_taken(session: Session, email: str) -> bool:
    count = session.scalar(select(func.count()).where(User.email == normalize_email(email)))
    return bool(count)


def email_taken_error() -> ValidationError:
    """The one answer to a sign-up with a taken address, whether the check or the unique index saw it."""
    return ValidationError(
        _l("An account with this e-mail address already exists. Sign in or reset the password."), "email"
    )


def register_user(
    session: Session, *, email: str, display_name: str, password: str, locale: str, intent=None
) -> User:
    """Create an unconfirmed account and mail the confirmation link."""
    check_display_name(display_name)
    check_new_password(password, email=email, display_name=display_name)
    if email_taken(session, email):
        raise email_taken_error()
    user = User(
        email=normalize_email(email),
        display_name=display_name.strip(),
        password_hash=hash_password(password),
        locale=locale,
    )
    session.add(user)
    session.flush()
    send_confirmation(session, user, intent)
    return user


def send_confirmation(session: Session, user: User, intent=None) -> None:
    """Mail the confirmation link; ``intent`` (what the person had started) rides in the signed token."""
    if user.is_confirmed:
        raise InvalidState(_l("Your e-mail address is already confirmed."))
    payload = {"uid": user.id, "email": user.email}
    if intent is not None:
        payload["intent"] = intent.as_dict()
    _mail_link(session, user, _l("Please confirm your e-mail address"), "confirm", "auth.confirm", payload)


def _mail_link(session: Session, user: User, subject, purpose: str, endpoint: str, payload: dict) -> None:
    """Mail the user a signed link for ``purpose`` (also the mail's template), in their language."""
    link = absolute_url(endpoint, token=make_token(purpose, payload))
    queue_mail(session, user.email, subject, purpose, user.locale, user=user, link=link)


def confirm_email(session: Session, token: str) -> User:
    """Mark the address in the token as confirmed (e-mail changes have their own links)."""
    payload = read_token("confirm", token, CONFIRM_MAX_AGE)
    user = session.get(User, payload.get("uid"))
    if user is None or payload.get("email") != user.email:
        raise TokenInvalid()
    user.email_confirmed_at = user.email_confirmed_at or utcnow()
    session.flush()
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The user for these credentials, or None; the same cost either way."""
    user = find_user_by_email(session, email)
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_seen_at = utcnow()
    session.flush()
    return user


def end_other_sessions(user: User) -> None:
    """Invalidate every session and remember cookie that carries the old version."""
    user.session_version += 1


def request_password_reset(session: Session, email: str) -> None:
    """Mail a one-hour, one-time reset link if the account exists; say nothing otherwise."""
    user = find_user_by_email(session, email)
    if user is None:
        return
    payload = {"uid": user.id, "pw": fingerprint(user.password_hash)}
    _mail_link(session, user, _l("Reset your password"), "reset", "auth.reset_with_token", payload)


def user_for_reset_token(session: Session, token: str) -> User:
    payload = read_token("reset", token, RESET_MAX_AGE)
    user = session.get(User, payload.get("uid"))
    # The fingerprint of the current hash makes the link die once the password changed.
    if user is None or payload.get("pw") != fingerprint(user.password_hash):
        raise TokenInvalid()
    return user


def reset_password(session: Session, token: str, password: str) -> User:
    user = user_for_reset_token(session, token)
    check_new_password(password, email=user.email, display_name=user.display_name)
    user.password_hash = hash_password(password)
    cancel_email_change(user)
    # Whoever can read the mailbox owns the account; the address is proven.
    user.email_confirmed_at = user.email_confirmed_at or utcnow()
    end_other_sessions(user)
    session.flush()
    return user


def change_password(session: Session, user: User, current: str, new: str) -> None:
    """Replace the password; ends the other sessions and any pending e-mail change."""
    _verify_current_password(user, current, "current_password")
    check_new_password(new, email=user.email, display_name=user.display_name)
    user.password_hash = hash_password(new)
    end_other_sessions(user)
    cancel_email_change(user)
    session.flush()


def update_profile(session: Session, user: User, *, display_name: str, locale: str, bio: str) -> None:
    check_display_name(display_name)
    user.display_name = display_name.strip()
    user.locale = locale
    user.bio = bio.strip()
    session.flush()


def cancel_email_change(user: User) -> None:
    """Make every e-mail change link sent so far unusable (a link carries the counter)."""
    # Counted in SQL, so two requests at the same moment still get different counters.
    user.email_change_version = User.email_change_version + 1


def request_email_change(session: Session, user: User, new_email: str, password: str) -> None:
    """Mail a one-day, one-time link to the new address and tell the old one, if it was confirmed.

    The current password is asked for, so a session left open somewhere cannot take the
    account away. If the new address belongs to another account, that address is told
    instead and the requester sees the same answer: the form never reveals accounts.
    """
    _verify_current_password(user, password, "password")
    new_email = normalize_email(new_email)
    if new_email == user.email:
        raise ValidationError(_l("This is already your e-mail address."), "email")
    # A new request replaces the earlier ones: only the newest link works.
    cancel_email_change(user)
    session.flush()  # the token below carries the counter as the database now has it
    if email_taken(session, new_email):
        queue_mail(
            session,
            new_email,
            _l("Your e-mail address already has a Twinning account"),
            "email_change_taken",
            user.locale,
            link=absolute_url("auth.reset_request"),
        )
    else:
        token = make_token(
            "email_change", {"uid": user.id, "email": new_email, "v": user.email_change_version}
        )
        queue_mail(
            session,
            new_email,
            _l("Please confirm your new e-mail address"),
            "email_change",
            user.locale,
            user=user,
            link=absolute_url("auth.confirm_email_change", token=token),
        )
    if user.is_confirmed:  # an address never proven may be someone else's (a typo at sign-up)
        queue_mail(
            session,
            user.email,
            _l("A change of your e-mail address was requested"),
            "email_change_requested",
            user.locale,
            user=user,
            new_email=new_email,
        )


def read_email_change_token(session: Session, token: str) -> tuple[User, str]:
    """The account and new address of a link that can still be used, or ``TokenInvalid``."""
    payload = read_token("email_change", token, EMAIL_CHANGE_MAX_AGE)
    uid, new_email, version = payload.get("uid"), payload.get("email"), payload.get("v")
    if not (isinstance(uid, int) and isinstance(new_email, str) and isinstance(version, int)):
        raise TokenInvalid()
    user = session.get(User, uid)
    if user is None or user.email_change_version != version:
        raise TokenInvalid()
    return user, new_email


def confirm_email_change(session: Session, token: str) -> User:
    """Move the account to the new address; the link works once, also under parallel clicks.

    The counter in the link is consumed by one conditional UPDATE, so of two clicks at the
    same time exactly one changes the address. Every other session ends, and the old
    address is told.
    """
    user, new_email = read_email_change_token(session, token)
    version, old_email, old_confirmed = user.email_change_version, user.email, user.is_confirmed
    if email_taken(session, new_email):
        raise ValidationError(_l("This e-mail address is already used by another account."))
    try:
        with session.begin_nested():
            changed = session.execute(
                update(User)
                .where(User.id == user.id, User.email_change_version == version)
                .values(
                    email=new_email,
                    email_change_version=version + 1,
                    email_confirmed_at=utcnow(),
                    session_version=User.session_version + 1,
                )
                .execution_options(synchronize_session=False)
            ).rowcount
    except IntegrityError as error:  # the address was taken in the meantime
        raise ValidationError(_l("This e-mail address is already used by another account.")) from error
    if changed != 1:
        raise TokenInvalid()
    session.refresh(user)
    if old_confirmed:
        queue_mail(
            session,
            old_email,
            _l("Your e-mail address was changed"),
            "email_changed",
            user.locale,
            user=user,
            new_email=new_email,
            imprint=absolute_url("pages.imprint"),
        )
    return user


def create_admin(session: Session, email: str, password: str) -> tuple[User, bool]:
    """A confirmed platform admin: a new account, or an existing one promoted."""
    user = find_user_by_email(session, email)
    created = user is None
    if user is None:
        check_new_password(password, email=email)
        user = User(
            email=normalize_email(email),
            display_name=normalize_email(email).split("@")[0][:80],
            password_hash=hash_password(password),
        )
        session.add(user)
    user.is_platform_admin = True
    user.email_confirmed_at = user.email_confirmed_at or utcnow()
    session.flush()
    return user, created
