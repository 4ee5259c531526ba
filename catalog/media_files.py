"""``/media/<hash>/<kind>[.webp|.jpg]``: renditions, immutable and content-addressed.

Streamed through the app by default (from this process's memory when it has them, so they are
still served while the storage is unreachable), or with ``MEDIA_SERVING=redirect`` answered by
a redirect to the bucket's object (presigned) or to ``MEDIA_PUBLIC_URL`` (a CDN).
"""

from __future__ import annotations

import logging

from flask import Blueprint
from flask import Response
from flask import redirect
from flask import request
from flask.typing import ResponseReturnValue
from flask_babel import gettext

import media
from catalog.db import get_session
from catalog.errors import NotFound
from catalog.errors import ServiceUnavailable
from catalog.media_store import get_media
from catalog.services import images as service

log = logging.getLogger(__name__)
bp = Blueprint("media_files", __name__, url_prefix="/media")
#: How long a client or CDN may keep a redirect (well within a presigned URL's life).
REDIRECT_CACHE_CONTROL = "public, max-age=300"


def storage_unavailable(exc: media.StorageUnavailable) -> ServiceUnavailable:
    """The 503 for a storage that cannot be reached; the cause goes to the log, not to the client."""
    log.warning("media storage %r unavailable: %s", get_media().storage, exc)
    return ServiceUnavailable(
        gettext("The picture storage cannot be reached just now; nothing was changed. Try again shortly."),
        headers={"Retry-After": "5"},
    )


@bp.get("/<string:sha256>/<string:rendition>")
def rendition(sha256: str, rendition: str) -> ResponseReturnValue:
    """Serve a rendition: WebP or JPEG by ``Accept``, or as the extension says."""
    kind, dot, ext = rendition.partition(".")
    negotiated = not dot
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256) or kind not in service.KINDS:
        raise NotFound(gettext("There is no such picture."))
    fmt = media.choose_format(request.headers.get("Accept")) if negotiated else service.EXTENSIONS.get(ext)
    key = service.find_rendition(get_session(), sha256, kind, fmt) if fmt else None
    if key is None:
        raise NotFound(gettext("There is no such picture."))
    target = get_media().redirect_target(key)
    if target is not None:
        response = redirect(target, 302)
        response.headers["Cache-Control"] = REDIRECT_CACHE_CONTROL
        if negotiated:
            response.vary.add("Accept")
        return response
    etag = media.etag_for(key).strip('"')
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        try:
            data = get_media().read(key)
        except media.StorageUnavailable as exc:
            raise storage_unavailable(exc) from exc
        except media.MediaError as exc:
            raise NotFound(gettext("There is no such picture.")) from exc
        response = Response(data, mimetype=media.content_type_for(key))
    response.set_etag(etag)
    response.headers["Cache-Control"] = media.CACHE_CONTROL_IMMUTABLE
    if negotiated:
        response.vary.add("Accept")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
