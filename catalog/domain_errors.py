"""What the catalog refuses, in its own words: services raise these, ``catalog.errors`` maps them to HTTP.

Nothing here knows of requests or status codes, so a service, the command line and a test can
raise and catch them alike.
"""

from __future__ import annotations

import typing as t

from flask_babel import ngettext


class FieldError(t.TypedDict):
    field: str
    message: str


class CatalogError(Exception):
    """Base of every error a caller can cause; *detail* says what to change."""

    def __init__(
        self,
        detail: str,
        *,
        errors: t.Sequence[FieldError] = (),
        extra: t.Mapping[str, t.Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = list(errors)
        self.extra = dict(extra or {})


class Malformed(CatalogError):
    """The input cannot be used as it was sent (a damaged or foreign page cursor)."""


class Forbidden(CatalogError):
    """The caller may not do this."""


class NotFound(CatalogError):
    """What was asked for does not exist (or is not shown to this caller)."""


class Conflict(CatalogError):
    """The request clashes with the current state (a duplicate, a show already over)."""


class PreconditionFailed(CatalogError):
    """Someone changed the thing since the caller read it."""


class Invalid(CatalogError):
    """Input that breaks a rule; ``errors`` names each field and what is wrong with it."""

    @classmethod
    def fields(cls, errors: t.Sequence[FieldError]) -> Invalid:
        """An error listing *errors*, with a detail that counts them."""
        return cls(
            ngettext("%(num)d field is invalid.", "%(num)d fields are invalid.", len(errors)),
            errors=errors,
        )

    @classmethod
    def field(cls, field: str, message: str) -> Invalid:
        """An error about one *field*, with *message* as the detail too."""
        return cls(message, errors=[{"field": field, "message": message}])
