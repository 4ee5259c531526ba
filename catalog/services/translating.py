"""Listing translations: saving a locale's text, its state, reviews, history and reverts.

A product's text in each locale lives in :class:`ProductContent`; every version of it is
also kept as a :class:`ContentRevision`. A translation records the per-field hashes of the
source text it was made from (``translations.source_hashes``), packed into
``ProductContent.source_hash``, and ``ProductContent.state`` holds its state as
``translations.listing_status`` judges it (``missing``, ``stale``, ``draft``, ``reviewed``;
``source`` for the source text itself), so that queues and counts are plain queries.
"""

from __future__ import annotations

import dataclasses
import typing as t

import sqlalchemy as sa
from flask_babel import gettext
from sqlalchemy.orm import Session

from catalog.domain_errors import Conflict
from catalog.domain_errors import Forbidden
from catalog.domain_errors import Invalid
from catalog.domain_errors import NotFound
from catalog.models import ContentReview
from catalog.models import ContentRevision
from catalog.models import Product
from catalog.models import ProductContent
from catalog.models import Role
from catalog.models import User
from catalog.schemas.parse import invalid
from catalog.services import audit
from catalog.services import detached
from catalog.services import indexing
from catalog.services.translating_glossary import glossary_warnings
from catalog.services.translating_state import FIELDS as FIELDS
from catalog.services.translating_state import SOURCE_STATE as SOURCE_STATE
from catalog.services.translating_state import as_listing as as_listing
from catalog.services.translating_state import current_revisions as current_revisions
from catalog.services.translating_state import pack_hashes as pack_hashes
from catalog.services.translating_state import refresh_states as refresh_states
from catalog.services.translating_state import revision_listing as revision_listing
from catalog.services.translating_state import source_listing as source_listing
from catalog.services.translating_state import status_of as status_of
from catalog.services.translating_state import text_json as text_json
from catalog.services.translating_state import unpack_hashes as unpack_hashes
from catalog.validation import CONTENT_LOCALES
from translations import ListingStatus
from translations import ListingText
from translations import listing_errors
from translations import source_hashes


def require_translator(user: User, locale: str) -> None:
    """403 unless *user* may write texts in *locale*."""
    if user.can_translate(locale):
        return
    if user.role is Role.TRANSLATOR:
        message = gettext(
            "You translate into %(mine)s; the %(locale)s text is for its own translators or an editor.",
            mine=", ".join(user.locales) or "-",
            locale=locale,
        )
    else:
        message = gettext("Your role (%(role)s) may not change listing texts.", role=user.role.value)
    raise Forbidden(message)


def check_locale(locale: str) -> str:
    """*locale* if it is a content locale, else 422."""
    if locale not in CONTENT_LOCALES:
        message = gettext(
            "Unknown locale %(locale)s; use one of %(locales)s.",
            locale=repr(locale),
            locales=", ".join(CONTENT_LOCALES),
        )
        raise Invalid(message, errors=[{"field": "locale", "message": message}])
    return locale


def new_revision(
    session: Session,
    product: Product,
    locale: str,
    text: ListingText,
    previous: ContentRevision | None,
    user: User | None,
    action: str,
    recorded: t.Mapping[str, str],
    source_text: t.Mapping[str, t.Any] | None,
    reverted_from: int | None = None,
    add: t.Callable[[t.Any], None] | None = None,
) -> ContentRevision:
    """A new revision of the *locale* text, added to the session, or given to *add* (a batch
    that writes it itself: :func:`catalog.services.detached.insert_detached`)."""
    return detached.added(
        session,
        add,
        ContentRevision,
        product_id=product.id,
        locale=locale,
        number=(previous.number if previous else 0) + 1,
        name=text.name,
        description=text.description,
        highlights=list(text.highlights),
        source_hashes=dict(recorded),
        source_text=dict(source_text) if source_text is not None else None,
        action=action,
        reverted_from=reverted_from,
        author_id=user.id if user else None,
    )


def settle_new_texts(session: Session, product: Product) -> None:
    """Give a new product's texts, before their first flush, the hashes and states recording sets.

    The translations are made from the source they arrive with; writing this before the
    INSERT spares an UPDATE of every text once :func:`record_product_contents` runs.
    """
    hashes = pack_hashes(source_hashes(source_listing(product)))
    for content in product.contents:
        if content.locale != product.source_locale:
            content.source_hash = hashes
    refresh_states(session, product, {})


def rewritten_locales(product: Product) -> set[str]:
    """The locales whose text is new or changed since it was loaded (ask before anything flushes)."""
    return {c.locale for c in product.contents if _text_changed(c)}


def _text_changed(content: ProductContent) -> bool:
    """Whether *content* is new or its text differs from what was loaded (not yet flushed)."""
    state = sa.inspect(content)
    if state.persistent is False:
        return True
    return any(state.attrs[name].history.has_changes() for name in ("name", "description", "highlights"))


def record_product_contents(
    session: Session,
    product: Product,
    locales: t.Iterable[str],
    user: User | None,
    *,
    rewritten: t.AbstractSet[str] | None = None,
    revisions: dict[tuple[int, str], ContentRevision] | None = None,
    add: t.Callable[[t.Any], None] | None = None,
) -> None:
    """Record texts just set through the products API as revisions, and refresh every state.

    A translation whose text changed is taken as made from the current source; one sent
    unchanged keeps the source hashes it had, so editing the source still makes it stale.
    A batch passes the locales it *rewritten* (taken before its flush) and the current
    *revisions* it read at once; the new revisions are written into that mapping, and
    given to *add* instead of the session when it writes them itself.
    """
    if rewritten is None:
        rewritten = rewritten_locales(product)
    if product.id is None:
        session.add(product)
        session.flush()
    if revisions is None:
        revisions = dict(current_revisions(session, [product.id]))
    source = source_listing(product)
    for locale in locales:
        content = product.content_for(locale)
        if content is None:
            continue
        text = as_listing(content)
        previous = revisions.get((product.id, locale))
        if previous is not None and revision_listing(previous) == text:
            continue
        is_source = locale == product.source_locale
        recorded = {} if is_source else source_hashes(source)
        made_from = None if is_source else text_json(source)
        if previous is None and locale not in rewritten and not is_source:
            # Written before revisions were kept and sent back unchanged: what it was made
            # from is unknown, so it keeps its recorded hashes (none: stale) until confirmed.
            recorded, made_from = unpack_hashes(content.source_hash), None
        content.source_hash = None if is_source else pack_hashes(recorded)
        revisions[(product.id, locale)] = new_revision(
            session, product, locale, text, previous, user, "product", recorded, made_from, add=add
        )
    refresh_states(session, product, revisions)


# -- saving, reviewing, reverting ------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Saved:
    """The outcome of saving a text: where it stands now and the glossary's warnings."""

    content: ProductContent
    revision: ContentRevision | None
    status: ListingStatus
    warnings: list[dict[str, t.Any]]
    changed: bool


def bump_version(session: Session, product: Product) -> None:
    product.version += 1
    session.flush()


def record_change(
    session: Session, user: User | None, action: str, product: Product, locale: str, changes: dict[str, t.Any]
) -> None:
    audit.record(session, user, action, "translation", f"{product.id}/{locale}", changes)
    indexing.enqueue(session, product.id)


def save_translation(
    session: Session,
    product: Product,
    locale: str,
    text: ListingText,
    user: User,
    *,
    hidden_until_reviewed: bool | None = None,
) -> Saved:
    """Set the *locale* text of *product*; it becomes a ``draft`` made from the current source.

    Limits and placeholders are errors (422); glossary terms only warn.
    """
    require_translator(user, locale)
    is_source = locale == product.source_locale
    if is_source and hidden_until_reviewed:
        message = gettext("The source text cannot be hidden; hide a translation instead.")
        raise Invalid(message, errors=[{"field": "hidden_until_reviewed", "message": message}])
    source = source_listing(product)
    problems = listing_errors(
        text.name,
        text.description,
        text.highlights,
        None if is_source else (source.name, source.description, source.highlights),
    )
    if problems:
        raise invalid([{"field": p.field, "message": p.message} for p in problems])
    content = product.content_for(locale)
    revisions = dict(current_revisions(session, [product.id]))
    previous = revisions.get((product.id, locale))
    recorded = {} if is_source else source_hashes(source)
    hidden = (
        (content.hidden_until_reviewed if content else False)
        if hidden_until_reviewed is None
        else hidden_until_reviewed
    )
    before = None if content is None else as_listing(content)
    unchanged = (
        content is not None
        and before == text
        and (is_source or unpack_hashes(content.source_hash) == recorded)
        and content.hidden_until_reviewed == hidden
    )
    warnings = [] if is_source else glossary_warnings(session, locale, source, text, product.brand)
    if unchanged:
        assert content is not None
        return Saved(content, previous, status_of(product, locale, previous), warnings, False)
    if content is None:
        content = ProductContent(locale=locale)
        product.contents.append(content)
    content.name, content.description, content.highlights = text.name, text.description, list(text.highlights)
    content.author_id = user.id
    content.hidden_until_reviewed = hidden
    content.source_hash = None if is_source else pack_hashes(recorded)
    revision = previous
    if (
        previous is None
        or revision_listing(previous) != text
        or (not is_source and previous.source_hashes != recorded)
    ):
        revision = new_revision(
            session,
            product,
            locale,
            text,
            previous,
            user,
            "save",
            recorded,
            None if is_source else text_json(source),
        )
        revisions[(product.id, locale)] = revision
    session.flush()
    refresh_states(session, product, revisions)
    bump_version(session, product)
    changes = audit.diff(text_json(before) if before else {}, text_json(text))
    changes["hidden_until_reviewed"] = hidden
    record_change(session, user, "translation.save", product, locale, changes)
    return Saved(content, revision, status_of(product, locale, revision), warnings, True)


def reviewable_revision(
    session: Session, product: Product, locale: str, user: User, revision: int | None = None
) -> ContentRevision:
    """The current revision of *locale*, if *user* may review it now (the revision they read, when given)."""
    require_translator(user, locale)
    if locale == product.source_locale:
        raise Conflict(
            gettext(
                "%(locale)s is this product's source text; only translations are reviewed.", locale=locale
            )
        )
    current = current_revisions(session, [product.id], locale).get((product.id, locale))
    if product.content_for(locale) is None:
        raise NotFound(gettext("There is no %(locale)s text of this product to review yet.", locale=locale))
    if current is None:
        raise Conflict(
            gettext(
                "This %(locale)s text was written before the source it was made from was recorded;"
                " save it once (confirming it against today's source), then review it.",
                locale=locale,
            )
        )
    if revision is not None and revision != current.number:
        raise Conflict(
            gettext(
                "Revision %(asked)d is no longer the current text (now revision %(now)d); read it and review again.",
                asked=revision,
                now=current.number,
            ),
            extra={"current_revision": current.number},
        )
    if user.id in _text_authors(session, current):
        raise Forbidden(
            gettext(
                "You wrote revision %(n)d of this text, so you cannot review it; another %(locale)s"
                " translator or an editor must.",
                n=current.number,
                locale=locale,
            )
        )
    status = status_of(product, locale, current)
    if status.state == "stale":
        stale = ", ".join(f for f, s in status.fields.items() if s == "stale")
        raise Conflict(
            gettext(
                "The source text changed since this translation was written (%(fields)s); update the"
                " translation first, then review it.",
                fields=stale,
            )
        )
    if current.review is not None:
        raise Conflict(gettext("Revision %(n)d has been reviewed already.", n=current.number))
    return current


def review_translation(
    session: Session,
    product: Product,
    locale: str,
    user: User,
    *,
    revision: int | None = None,
    note: str = "",
) -> ContentRevision:
    """Approve the current *locale* text: by an editor or another translator, never its author."""
    current = reviewable_revision(session, product, locale, user, revision)
    current.review = ContentReview(reviewer_id=user.id, note=note)
    content = product.content_for(locale)
    assert content is not None
    was_hidden = content.hidden_until_reviewed
    content.hidden_until_reviewed = False
    session.flush()
    refresh_states(session, product)
    bump_version(session, product)
    record_change(
        session, user, "translation.review", product, locale,
        {"revision": current.number, "note": note, "hidden_until_reviewed": [was_hidden, False]},
    )  # fmt: skip
    return current


def _text_authors(session: Session, revision: ContentRevision) -> set[int | None]:
    """Who wrote *revision*'s text: its author and, for a revert, the author of the restored one."""
    authors = {revision.author_id}
    if revision.reverted_from is not None:
        authors.add(
            session.scalar(
                sa.select(ContentRevision.author_id).where(
                    ContentRevision.product_id == revision.product_id,
                    ContentRevision.locale == revision.locale,
                    ContentRevision.number == revision.reverted_from,
                )
            )
        )
    return authors


def revert_translation(session: Session, product: Product, locale: str, number: int, user: User) -> Saved:
    """Make revision *number* the current text again, as a new revision (history is kept)."""
    require_translator(user, locale)
    old = session.scalar(
        sa.select(ContentRevision).where(
            ContentRevision.product_id == product.id,
            ContentRevision.locale == locale,
            ContentRevision.number == number,
        )
    )
    if old is None:
        raise NotFound(gettext("The %(locale)s text has no revision %(n)d.", locale=locale, n=number))
    revisions = dict(current_revisions(session, [product.id]))
    current = revisions[(product.id, locale)]
    content = product.content_for(locale)
    text = revision_listing(old)
    if content is not None and as_listing(content) == text and current.source_hashes == old.source_hashes:
        raise Conflict(gettext("Revision %(n)d is the current text already.", n=number))
    if content is None:
        content = ProductContent(locale=locale)
        product.contents.append(content)
    before = as_listing(content) if content.name else None
    content.name, content.description, content.highlights = text.name, text.description, list(text.highlights)
    content.author_id = user.id
    is_source = locale == product.source_locale
    content.source_hash = None if is_source else pack_hashes(old.source_hashes)
    revision = new_revision(
        session,
        product,
        locale,
        text,
        current,
        user,
        "revert",
        old.source_hashes,
        old.source_text,
        reverted_from=number,
    )
    revisions[(product.id, locale)] = revision
    session.flush()
    refresh_states(session, product, revisions)
    bump_version(session, product)
    changes = audit.diff(text_json(before) if before else {}, text_json(text))
    changes["reverted_to"] = number
    record_change(session, user, "translation.revert", product, locale, changes)
    return Saved(content, revision, status_of(product, locale, revision), [], True)


def history(
    session: Session, product_id: int, locale: str, before: int | None, limit: int
) -> list[ContentRevision]:
    """Revisions of a text, newest first, those numbered below *before* when given."""
    stmt = (
        sa.select(ContentRevision)
        .where(ContentRevision.product_id == product_id, ContentRevision.locale == locale)
        .order_by(ContentRevision.number.desc())
        .limit(limit)
    )
    if before is not None:
        stmt = stmt.where(ContentRevision.number < before)
    return list(session.scalars(stmt))
