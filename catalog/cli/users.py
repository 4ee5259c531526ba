"""``tianshan users``: staff accounts and tokens."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from catalog.auth import issue_token
from catalog.db import get_session
from catalog.models import Role
from catalog.models import User
from catalog.services.users import UserError
from catalog.services.users import add_user
from catalog.services.users import disable_user
from catalog.services.users import revoke_access

users_cli = AppGroup("users", help="Manage staff accounts and their API tokens.")


@users_cli.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option(
    "--locale", "locales", multiple=True, help="For translators: a locale they work on (repeatable)."
)
def add_command(name: str, role: str, locales: tuple[str, ...]) -> None:
    """Add a user and print their token (shown this once only)."""
    session = get_session()
    try:
        user, token = add_user(session, name, Role(role), list(locales))
    except UserError as exc:
        raise click.UsageError(str(exc)) from exc
    session.commit()
    click.echo(f"Added {user.name} ({user.role.value}). Token, shown once:", err=True)
    click.echo(token)


@users_cli.command("list")
def list_command() -> None:
    """List users and their roles."""
    for user in get_session().scalars(sa.select(User).order_by(User.name)):
        locales = f" [{', '.join(user.locales)}]" if user.locales else ""
        state = " (disabled)" if user.disabled else ""
        click.echo(f"{user.name}\t{user.role.value}{locales}{state}")


def _named(name: str) -> User:
    """The user called *name*, or a usage error."""
    user = get_session().scalar(sa.select(User).where(User.name == name))
    if user is None:
        raise click.UsageError(f"no user named {name!r}")
    return user


@users_cli.command("revoke")
@click.argument("name")
def revoke_command(name: str) -> None:
    """Revoke every token of NAME and end their signed-in sessions."""
    session = get_session()
    count = revoke_access(session, _named(name))
    session.commit()
    click.echo(f"Revoked {count} token(s) of {name}. Their web sessions have ended.")


@users_cli.command("disable")
@click.argument("name")
def disable_command(name: str) -> None:
    """Disable NAME: their sessions and tokens end and they can no longer sign in."""
    session = get_session()
    count = disable_user(session, _named(name))
    session.commit()
    click.echo(f"Disabled {name}; revoked {count} token(s) and ended their sessions.")


@users_cli.command("token")
@click.argument("name")
def token_command(name: str) -> None:
    """Issue another token for NAME (printed once)."""
    session = get_session()
    user = _named(name)
    token = issue_token(session, user)
    session.commit()
    click.echo(token)
