"""Shapes of the listing-translation API: texts, reviews, glossaries, the queue and exchange files."""

from __future__ import annotations

import typing as t

from pydantic import BaseModel
from pydantic import Field
from pydantic import StringConstraints
from pydantic import field_validator

from catalog.errors import FieldError
from catalog.schemas.common import Plain
from catalog.schemas.common import StoredNumber
from catalog.schemas.common import Strict
from catalog.schemas.queries import ContentLocaleCode
from catalog.schemas.queries import QueryBase
from translations.quality import CheckName
from translations.quality import Severity

State = t.Literal["missing", "stale", "draft", "reviewed"]
STATES: tuple[str, ...] = t.get_args(State)
Name = t.Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), Plain]
Highlight = t.Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), Plain]
Term = t.Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), Plain]


class TranslationIn(Strict):
    """One locale's text of a product. Field limits and placeholders are checked against the source."""

    name: Name
    description: t.Annotated[str, Plain] = ""
    highlights: list[Highlight] = Field(default_factory=list)
    hidden_until_reviewed: bool | None = Field(
        default=None,
        description="Hide this locale's text from viewers until it is reviewed (the product stays visible)",
    )


DraftLine = t.Annotated[str, StringConstraints(max_length=1000), Plain]


class FitIn(Strict):
    """A draft name and highlights, to typeset on the on-air card before they are saved."""

    name: t.Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000), Plain]
    highlights: list[DraftLine] = Field(default_factory=list, max_length=20)


class FitQuery(QueryBase):
    layout: t.Literal["portrait", "landscape", "square"] = "portrait"


class ReviewIn(Strict):
    revision: StoredNumber | None = Field(
        default=None, description="The revision you reviewed (409 if no longer current)"
    )
    note: t.Annotated[str, StringConstraints(max_length=2000)] = ""


class RejectIn(Strict):
    note: t.Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000), Plain] = (
        Field(description="What the translator should change")
    )
    revision: StoredNumber | None = Field(
        default=None, description="The revision you read (409 if no longer current)"
    )


class RevertIn(Strict):
    revision: StoredNumber


class GlossaryTermIn(Strict):
    source: Term
    target: t.Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), Plain] | None = Field(
        default=None, description="How the term must read; null or empty keeps it unchanged (brand names)"
    )
    note: t.Annotated[str, StringConstraints(max_length=500)] = ""


class GlossaryIn(Strict):
    terms: list[GlossaryTermIn] = Field(max_length=5000)

    def field_errors(self) -> list[FieldError]:
        seen: dict[str, int] = {}
        errors: list[FieldError] = []
        for i, term in enumerate(self.terms):
            key = term.source.casefold()
            if key in seen:
                errors.append(
                    {
                        "field": f"terms.{i}.source",
                        "message": f"{term.source!r} is listed twice (also at {seen[key]}).",
                    }
                )
            seen.setdefault(key, i)
        return errors


def _states(value: str | None) -> str | None:
    if value is None:
        return None
    unknown = [s for s in value.split(",") if s.strip() not in STATES]
    if unknown:
        raise ValueError(
            f"Unknown state {unknown[0]!r}; use one or more of {', '.join(STATES)}, comma-separated."
        )
    return value


Locale = ContentLocaleCode


class StateFilter(QueryBase):
    state: str | None = Field(
        default=None, description="Comma-separated states: missing, stale, draft, reviewed"
    )
    category: t.Annotated[str, StringConstraints(max_length=200)] | None = Field(
        default=None, description="A category path; its subcategories are included"
    )

    _check_state = field_validator("state")(_states)

    def state_list(self) -> tuple[str, ...] | None:
        return tuple(s.strip() for s in self.state.split(",")) if self.state else None


class QueueQuery(StateFilter):
    locale: Locale
    booth: t.Annotated[str, StringConstraints(max_length=60)] | None = Field(
        default=None, description="A booth's slug"
    )
    stream: StoredNumber | None = Field(
        default=None, description="Only products on this show's run-sheet (a stream id)"
    )
    check: CheckName | None = Field(default=None, description="Only texts failing this quality check")
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = None


class ProgressQuery(QueryBase):
    category: t.Annotated[str, StringConstraints(max_length=200)] | None = None


class ExportQuery(StateFilter):
    locale: Locale
    format: t.Literal["po", "xliff"] = "po"
    source_locale: Locale | None = Field(
        default=None,
        description="Only products written in this language; without it, products written in"
        " several languages come as a zip of one file per source language",
    )


class ImportQuery(QueryBase):
    locale: Locale
    format: t.Literal["po", "xliff"] | None = Field(
        default=None, description="Overrides what Content-Type or the file name says"
    )
    hidden_until_reviewed: bool = Field(
        default=False, description="Keep every text this file changes hidden from viewers until reviewed"
    )
    on_conflict: t.Literal["refuse", "skip"] = Field(
        default="refuse",
        description="A text changed by someone else since the export is a conflict: `refuse` (409,"
        " nothing imported) or `skip` (the rest is imported, conflicts listed in the report)",
    )


class MemoryExportQuery(QueryBase):
    source: Locale = Field(description="The language the products are written in")
    target: Locale = Field(description="The language of the reviewed translations")

    def field_errors(self) -> list[FieldError]:
        if self.source == self.target:
            return [{"field": "target", "message": "Choose a target language other than the source."}]
        return []


class HistoryQuery(QueryBase):
    limit: int = Field(default=50, ge=1, le=100)
    cursor: str | None = None


# -- answers (for the API document) --------------------------------------------------------


class TextOut(BaseModel):
    name: str
    description: str
    highlights: list[str]


class TranslationOut(BaseModel):
    product_id: int
    locale: str
    is_source: bool
    state: str
    fields: dict[str, str]
    text: TextOut | None
    source: TextOut
    source_diff: dict[str, t.Any] | None
    hidden_until_reviewed: bool
    revision: int | None
    author: str | None
    saved_at: str | None
    reviewed_by: str | None
    etag: str


class RejectionOut(BaseModel):
    revision: int
    note: str
    reviewer: str | None
    at: str


class RejectOut(BaseModel):
    translation: TranslationOut
    rejection: RejectionOut


class GlossaryWarningOut(BaseModel):
    field: str
    term: str
    expected: str
    message: str


class SaveOut(BaseModel):
    translation: TranslationOut
    warnings: list[GlossaryWarningOut]
    product: dict[str, t.Any]


class RevisionOut(BaseModel):
    revision: int
    action: str
    name: str
    description: str
    highlights: list[str]
    author: str | None
    created_at: str
    reverted_from: int | None
    source_hashes: dict[str, str]
    reviewed_by: str | None
    reviewed_at: str | None


class HistoryOut(BaseModel):
    items: list[RevisionOut]
    next_cursor: str | None


class CheckOut(BaseModel):
    check: CheckName
    severity: Severity
    message: str
    suggestion: str | None


class FieldChecksOut(BaseModel):
    field: str
    source: str
    text: str
    checks: list[CheckOut]


class ChecksOut(BaseModel):
    product_id: int
    locale: str
    source_locale: str
    state: str
    counts: dict[str, int]
    fields: list[FieldChecksOut]


class DiffSegmentOut(BaseModel):
    op: t.Literal["equal", "delete", "insert"]
    text: str


class SuggestionOut(BaseModel):
    score: int
    identical: bool
    source: str
    text: str
    diff: list[DiffSegmentOut]
    diff_html: str
    product_id: int
    sku: str


class FieldSuggestionsOut(BaseModel):
    field: str
    source: str
    suggestions: list[SuggestionOut]


class SuggestionsOut(BaseModel):
    product_id: int
    locale: str
    source_locale: str
    fields: list[FieldSuggestionsOut]


class FieldFitOut(BaseModel):
    field: t.Literal["name", "highlights"]
    fits: bool
    cut_in: list[str]


class LayoutFitOut(BaseModel):
    layout: str
    cut: list[str]


class FitWarningOut(BaseModel):
    field: str
    layout: str
    message: str


class FitOut(BaseModel):
    product_id: int
    locale: str
    fits: bool
    fields: list[FieldFitOut]
    layouts: list[LayoutFitOut]
    warnings: list[FitWarningOut]


class GlossaryTermOut(BaseModel):
    source: str
    target: str | None
    note: str


class GlossaryOut(BaseModel):
    locale: str
    version: int
    terms: list[GlossaryTermOut]


class QueueItemOut(BaseModel):
    product_id: int
    sku: str
    category: str
    status: str
    state: str
    fields: dict[str, str]
    shown_on_air: int
    source: TextOut
    translation: TextOut | None
    revision: int | None
    source_diff: dict[str, t.Any] | None
    etag: str


class QueueOut(BaseModel):
    items: list[QueueItemOut]
    next_cursor: str | None


class ProgressOut(BaseModel):
    locales: dict[str, dict[str, float]]
    categories: list[dict[str, t.Any]]


class ImportReportOut(BaseModel):
    updated: int
    unchanged: int
    untranslated: int
    errors: list[str]
    stale: list[dict[str, t.Any]]
    warnings: list[dict[str, t.Any]]
    conflicts: list[dict[str, t.Any]]
