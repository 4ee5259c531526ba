"""Signing staff in and out of the pages with a password and a session cookie."""

from __future__ import annotations

import functools
import time
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
from prometheus_client import Counter
from werkzeug.security import check_password_hash
from werkzeug.security import generate_password_hash

from catalog.db import get_session
from catalog.errors import Forbidden
from catalog.models import Role
from catalog.models import User
from catalog.services.users import end_sessions
from catalog.web.context import _
from catalog.web.context import safe_next
from catalog.web.ratelimit import FailureLimiter

bp = Blueprint("signin", __name__)
F = t.TypeVar("F", bound=t.Callable[..., t.Any])
#: Compared against when the name is unknown, so both cases take the same time.
_DUMMY_HASH = generate_password_hash("not a password of anyone")
#: Sign-ins refused because a name or an address had failed too often: an operator's alert.
LOCKOUTS = Counter("tianshan_signin_lockouts_total", "Sign-ins refused after too many failures", ["by"])
FAILURES = Counter("tianshan_signin_failures_total", "Sign-ins with a wrong name or password")


def _session_alive(opened: object) -> bool:
    """Whether a session opened at *opened* (epoch seconds) is within its lifetime."""
    if not isinstance(opened, int | float):
        return False
    age = time.time() - opened
    return 0 <= age <= float(current_app.permanent_session_lifetime.total_seconds())


def signed_in_user() -> User | None:
    """The member of staff signed in to this browser, if the session is current and they are active.

    A session ends when its lifetime has passed (counted from sign-in, on the server) or when
    the user's session epoch has moved on (sign-out, revocation, a new password, disabling).
    """
    if "web_user" in g:
        return t.cast(User | None, g.web_user)
    user = None
    user_id = session.get("user_id")
    if isinstance(user_id, int) and _session_alive(session.get("since")):
        candidate = get_session().get(User, user_id)
        if (
            candidate is not None
            and not candidate.disabled
            and candidate.password_hash
            and session.get("epoch") == candidate.session_epoch
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


def _limiters() -> dict[str, FailureLimiter]:
    return t.cast(dict[str, FailureLimiter], current_app.extensions["signin_limiter"])


def _attempt_keys(name: str) -> dict[str, str]:
    """The counters a sign-in attempt is charged to: its name (from any address) and its address."""
    return {"name": f"name|{name.casefold()}", "address": f"address|{request.remote_addr}"}


def _wait_before_attempt(name: str) -> int:
    """Count this attempt against its name and its address; seconds to wait, 0 to go ahead."""
    waits = {}
    for by, key in _attempt_keys(name).items():
        waits[by] = _limiters()[by].attempt(get_session(), key)
    for by, wait in waits.items():
        if wait:
            LOCKOUTS.labels(by).inc()
    return max(waits.values())


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
    wait = _wait_before_attempt(name)  # counted as failed until the password proves right
    if wait:
        minutes = max(1, (wait + 59) // 60)
        error = _("Too many failed attempts. Wait %(minutes)d minutes, then try again.", minutes=minutes)
        page = render_template("signin.html", next_url=next_url, name=name, error=error)
        return page, 429, {"Retry-After": str(wait)}
    user = authenticate(name, password)
    if user is None:
        FAILURES.inc()
        error = _("The name or the password is not right.")
        return render_template("signin.html", next_url=next_url, name=name, error=error), 401
    for by, key in _attempt_keys(name).items():
        _limiters()[by].reset(get_session(), key)
    session.clear()
    session.permanent = True
    session["user_id"] = user.id
    session["epoch"] = user.session_epoch
    session["since"] = int(time.time())
    return redirect(next_url or home_for(user))


@bp.post("/signout")
def signout() -> ResponseReturnValue:
    user = signed_in_user()
    if user is not None:  # every session and token of this user ends, not only this cookie
        end_sessions(get_session(), user)
        get_session().commit()
    session.clear()
    return redirect(url_for("viewer.home"))


def init_app(app: Flask) -> None:
    """Set up the sign-in limiters: per name from any address, and per address for any name."""
    window = float(app.config["SIGNIN_WINDOW_SECONDS"])
    app.extensions["signin_limiter"] = {
        "name": FailureLimiter(int(app.config["SIGNIN_MAX_FAILURES"]), window),
        "address": FailureLimiter(int(app.config["SIGNIN_ADDRESS_MAX_FAILURES"]), window),
    }
    app.register_blueprint(bp)
