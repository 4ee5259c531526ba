"""Signing staff in and out of the pages with a password and a session cookie."""

from __future__ import annotations

import functools
import hashlib
import typing as t

import sqlalchemy as sa
from flask import Blueprint
from flask import Flask
from flask import current_app
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from flask.typing import ResponseReturnValue
from werkzeug.security import check_password_hash
from werkzeug.security import generate_password_hash

from catalog.db import get_session
from catalog.errors import Forbidden
from catalog.models import Role
from catalog.models import User
from catalog.web.context import _
from catalog.web.context import safe_next
from catalog.web.ratelimit import FailureLimiter

bp = Blueprint("signin", __name__)
F = t.TypeVar("F", bound=t.Callable[..., t.Any])
#: Compared against when the name is unknown, so both cases take the same time.
_DUMMY_HASH = generate_password_hash("not a password of anyone")


def _session_key(user: User) -> str:
    """Ties a session to the password it was opened with: a new password ends old sessions."""
    return hashlib.sha256(f"{user.id}:{user.password_hash}".encode()).hexdigest()[:24]


def signed_in_user() -> User | None:
    """The member of staff signed in to this browser, if any (and still active)."""
    if "web_user" in g:
        return t.cast(User | None, g.web_user)
    user = None
    user_id = session.get("user_id")
    if isinstance(user_id, int):
        candidate = get_session().get(User, user_id)
        if (
            candidate is not None
            and not candidate.disabled
            and candidate.password_hash
            and session.get("key") == _session_key(candidate)
        ):
            user = candidate
    g.web_user = user
    return user


def staff_required(*roles: Role) -> t.Callable[[F], F]:
    """View decorator: send visitors to the sign-in page; refuse roles not in *roles* (403)."""

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: t.Any, **kwargs: t.Any) -> t.Any:
            user = signed_in_user()
            if user is None:
                return redirect(url_for("signin.signin", next=request.full_path.rstrip("?")))
            if roles and user.role not in roles and user.role is not Role.ADMIN:
                raise Forbidden(_("Your role does not give access to this page."))
            return view(*args, **kwargs)

        return t.cast(F, wrapper)

    return decorator


def home_for(user: User) -> str:
    """Where a member of staff lands after signing in."""
    if user.role in (Role.ADMIN, Role.EDITOR):
        return url_for("staff.products")
    if user.role is Role.HOST and "host.console_index" in current_app.view_functions:
        return url_for("host.console_index")
    if user.role is Role.TRANSLATOR and "translator.queue" in current_app.view_functions:
        return url_for("translator.queue")
    return url_for("viewer.home")


def _limiter() -> FailureLimiter:
    return t.cast(FailureLimiter, current_app.extensions["signin_limiter"])


def authenticate(name: str, password: str) -> User | None:
    """The active user called *name* whose password is *password*, else ``None``."""
    user = get_session().scalar(sa.select(User).where(User.name == name)) if name else None
    stored = user.password_hash if user is not None and user.password_hash else _DUMMY_HASH
    matches = check_password_hash(stored, password)
    if user is None or user.disabled or not user.password_hash or not matches:
        return None
    return user


@bp.route("/signin", methods=["GET", "POST"])
def signin() -> ResponseReturnValue:
    next_url = safe_next(request.values.get("next"), "")
    if request.method == "GET":
        current = signed_in_user()
        if current is not None:
            return redirect(next_url or home_for(current))
        return render_template("signin.html", next_url=next_url, name="", error=None)
    name = request.form.get("name", "").strip()
    password = request.form.get("password", "")
    key = f"{name.casefold()}|{request.remote_addr}"
    wait = _limiter().attempt(get_session(), key)  # counted as failed until the password proves right
    if wait:
        minutes = max(1, (wait + 59) // 60)
        error = _("Too many failed attempts. Wait %(minutes)d minutes, then try again.", minutes=minutes)
        page = render_template("signin.html", next_url=next_url, name=name, error=error)
        return page, 429, {"Retry-After": str(wait)}
    user = authenticate(name, password)
    if user is None:
        error = _("The name or the password is not right.")
        return render_template("signin.html", next_url=next_url, name=name, error=error), 401
    _limiter().reset(get_session(), key)
    session.clear()
    session.permanent = True
    session["user_id"] = user.id
    session["key"] = _session_key(user)
    return redirect(next_url or home_for(user))


@bp.post("/signout")
def signout() -> ResponseReturnValue:
    session.clear()
    return redirect(url_for("viewer.home"))


def init_app(app: Flask) -> None:
    """Set up the sign-in limiter (``SIGNIN_MAX_FAILURES`` per ``SIGNIN_WINDOW_SECONDS``)."""
    limit = int(app.config["SIGNIN_MAX_FAILURES"])
    window = float(app.config["SIGNIN_WINDOW_SECONDS"])
    app.extensions["signin_limiter"] = FailureLimiter(limit, window)
    app.register_blueprint(bp)
