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
from catalog.services.users import revoke_tokens

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


@users_cli.command("revoke")
@click.argument("name")
def revoke_command(name: str) -> None:
    """Revoke every token of NAME."""
    session = get_session()
    user = session.scalar(sa.select(User).where(User.name == name))
    if user is None:
        raise click.UsageError(f"no user named {name!r}")
    count = revoke_tokens(session, user)
    session.commit()
    click.echo(f"Revoked {count} token(s) of {name}.")


@users_cli.command("token")
@click.argument("name")
def token_command(name: str) -> None:
    """Issue another token for NAME (printed once)."""
    session = get_session()
    user = session.scalar(sa.select(User).where(User.name == name))
    if user is None:
        raise click.UsageError(f"no user named {name!r}")
    token = issue_token(session, user)
    session.commit()
    click.echo(token)
