"""Account use cases: each takes the actor explicitly, flushes, never commits."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from twinning.auth.models import User
from twinning.auth.tokens import (
    CONFIRM_MAX_AGE,
    RESET_MAX_AGE,
    TokenInvalid,
    fingerprint,
    make_token,
    read_token,
)
from twinning.db import utcnow
from twinning.errors import InvalidState, ValidationError
from twinning.mail import absolute_url, queue_mail

MIN_PASSWORD_LENGTH = 10
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


def _check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(_l("The password must have at least 10 characters."), "password")


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalize_email(email)))


def email_taken(session: Session, email: str) -> bool:
    count = session.scalar(select(func.count()).where(User.email == normalize_email(email)))
    return bool(count)


def email_taken_error() -> ValidationError:
    """The one answer to a sign-up with a taken address, whether the check or the unique index saw it."""
    return ValidationError(
        _l("An account with this e-mail address already exists. Sign in or reset the password."), "email")


def register_user(
    session: Session, *, email: str, display_name: str, password: str, locale: str
) -> User:
    """Create an unconfirmed account and mail the confirmation link."""
    _check_password_rules(password)
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
    send_confirmation(session, user)
    return user


def send_confirmation(session: Session, user: User) -> None:
    if user.is_confirmed:
        raise InvalidState(_l("Your e-mail address is already confirmed."))
    token = make_token("confirm", {"uid": user.id, "email": user.email})
    queue_mail(
        session, user.email, _l("Please confirm your e-mail address"), "confirm", user.locale,
        user=user, link=absolute_url("auth.confirm", token=token),
    )


def confirm_email(session: Session, token: str) -> User:
    """Mark the address in the token as confirmed; also completes an e-mail change."""
    payload = read_token("confirm", token, CONFIRM_MAX_AGE)
    user = session.get(User, payload.get("uid"))
    if user is None:
        raise TokenInvalid()
    new_email = payload.get("new_email")
    if new_email:
        if payload.get("old") != user.email:
            raise TokenInvalid()
        if email_taken(session, new_email):
            raise ValidationError(_l("This e-mail address is already used by another account."))
        user.email = new_email
    elif payload.get("email") != user.email:
        raise TokenInvalid()
    user.email_confirmed_at = user.email_confirmed_at or utcnow()
    if new_email:
        user.email_confirmed_at = utcnow()
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
    token = make_token("reset", {"uid": user.id, "pw": fingerprint(user.password_hash)})
    queue_mail(
        session, user.email, _l("Reset your password"), "reset", user.locale,
        user=user, link=absolute_url("auth.reset_with_token", token=token),
    )


def user_for_reset_token(session: Session, token: str) -> User:
    payload = read_token("reset", token, RESET_MAX_AGE)
    user = session.get(User, payload.get("uid"))
    # The fingerprint of the current hash makes the link die once the password changed.
    if user is None or payload.get("pw") != fingerprint(user.password_hash):
        raise TokenInvalid()
    return user


def reset_password(session: Session, token: str, password: str) -> User:
    user = user_for_reset_token(session, token)
    _check_password_rules(password)
    user.password_hash = hash_password(password)
    # Whoever can read the mailbox owns the account; the address is proven.
    user.email_confirmed_at = user.email_confirmed_at or utcnow()
    end_other_sessions(user)
    session.flush()
    return user


def change_password(session: Session, user: User, current: str, new: str) -> None:
    try:
        _hasher.verify(user.password_hash, current)
    except (VerificationError, InvalidHashError) as error:
        raise ValidationError(_l("The current password is not correct."), "current_password") from error
    _check_password_rules(new)
    user.password_hash = hash_password(new)
    end_other_sessions(user)
    session.flush()


def update_profile(session: Session, user: User, *, display_name: str, locale: str, bio: str) -> None:
    user.display_name = display_name.strip()
    user.locale = locale
    user.bio = bio.strip()
    session.flush()


def request_email_change(session: Session, user: User, new_email: str) -> None:
    """Mail a confirmation link to the new address; the change happens when it is clicked."""
    new_email = normalize_email(new_email)
    if new_email == user.email:
        raise ValidationError(_l("This is already your e-mail address."), "email")
    if email_taken(session, new_email):
        raise ValidationError(_l("This e-mail address is already used by another account."), "email")
    token = make_token("confirm", {"uid": user.id, "new_email": new_email, "old": user.email})
    queue_mail(
        session, new_email, _l("Please confirm your new e-mail address"), "confirm", user.locale,
        user=user, link=absolute_url("auth.confirm", token=token),
    )


def create_admin(session: Session, email: str, password: str) -> tuple[User, bool]:
    """A confirmed platform admin: a new account, or an existing one promoted."""
    user = find_user_by_email(session, email)
    created = user is None
    if user is None:
        _check_password_rules(password)
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
