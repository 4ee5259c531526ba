"""``/media/<hash>/<kind>[.webp|.jpg]``: renditions, immutable and content-addressed."""

from __future__ import annotations

from flask import Blueprint
from flask import Response
from flask import request
from flask.typing import ResponseReturnValue
from flask_babel import gettext

import media
from catalog.db import get_session
from catalog.errors import NotFound
from catalog.media_store import get_media
from catalog.services import images as service

bp = Blueprint("media_files", __name__, url_prefix="/media")


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
    etag = media.etag_for(key).strip('"')
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        try:
            data = get_media().storage.read(key)
        except media.MediaError as exc:
            raise NotFound(gettext("There is no such picture.")) from exc
        response = Response(data, mimetype=media.content_type_for(key))
    response.set_etag(etag)
    response.headers["Cache-Control"] = media.CACHE_CONTROL_IMMUTABLE
    if negotiated:
        response.vary.add("Accept")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
