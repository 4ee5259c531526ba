"""``tianshan users password NAME``: set the password a member of staff signs in to the pages with."""

from __future__ import annotations

import sys

import click
import sqlalchemy as sa
from flask.cli import with_appcontext
from werkzeug.security import generate_password_hash

from catalog.db import get_session
from catalog.models import User
from catalog.security.passwords import password_problem
from catalog.services.users import end_sessions


def check_password(password: str, name: str = "") -> str:
    """*password* if it may be used, else :class:`click.BadParameter` saying why."""
    problem = password_problem(password, name)
    if problem:
        raise click.BadParameter(problem)
    return password


@click.command("password")
@click.argument("name")
@click.option("--stdin", "from_stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def password_command(name: str, from_stdin: bool) -> None:
    """Set the sign-in password of NAME (asked twice, not echoed); ends their sessions and tokens."""
    session = get_session()
    user = session.scalar(sa.select(User).where(User.name == name))
    if user is None:
        raise click.UsageError(f"no user named {name!r}; add one with: tianshan users add {name} --role ROLE")
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    try:
        check_password(password, name)
    except click.BadParameter as exc:
        raise click.UsageError(str(exc.message)) from exc
    user.password_hash = generate_password_hash(password)
    end_sessions(session, user)
    session.commit()
    click.echo(f"Password of {name} set.")
