"""``/api/v1/streams/webhooks``: subscribers of stream events and their deliveries (admin)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint
from flask import jsonify
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from catalog.api.spec import operation
from catalog.auth import current_user
from catalog.db import get_session
from catalog.errors import NotFound
from catalog.errors import Unprocessable
from catalog.http import parse_body
from catalog.live import get_live
from catalog.models import Role
from catalog.models import Webhook
from catalog.schemas.streams import DeliveryList
from catalog.schemas.streams import WebhookIn
from catalog.schemas.streams import WebhookList
from catalog.schemas.streams import WebhookOut
from catalog.services import webhooks

#: Mounted inside the streams blueprint, under ``/api/v1/streams/webhooks``.
bp = Blueprint("webhooks", __name__, url_prefix="/webhooks")


@bp.post("")
@operation(
    summary="Subscribe a URL to stream.started, card.changed and stream.ended",
    tag="streams",
    body=WebhookIn,
    roles=(Role.ADMIN,),
    responses={201: WebhookOut},
    description="The secret (given or generated) is shown once; payloads carry an HMAC-SHA256 signature.",
)
def create_webhook() -> ResponseReturnValue:
    data = parse_body(WebhookIn)
    session = get_session()
    try:
        hook = webhooks.create_webhook(
            session,
            data.url,
            data.events,
            data.secret,
            current_user(),
            allow_loopback=get_live().settings.allow_loopback,
        )
    except webhooks.BadWebhookUrl as exc:
        raise Unprocessable(str(exc), errors=[{"field": "url", "message": str(exc)}]) from exc
    session.commit()
    return jsonify(webhooks.webhook_json(hook, with_secret=True)), 201


@bp.get("")
@operation(
    summary="List webhook subscribers", tag="streams", roles=(Role.ADMIN,), responses={200: WebhookList}
)
def list_webhooks() -> ResponseReturnValue:
    hooks = get_session().scalars(sa.select(Webhook).order_by(Webhook.id)).all()
    return jsonify({"items": [webhooks.webhook_json(h) for h in hooks]})


@bp.get("/<int:webhook_id>/deliveries")
@operation(
    summary="A subscriber's newest deliveries and their status",
    tag="streams",
    roles=(Role.ADMIN,),
    responses={200: DeliveryList},
    errors=(404,),
)
def deliveries(webhook_id: int) -> ResponseReturnValue:
    session = get_session()
    if session.get(Webhook, webhook_id) is None:
        raise NotFound(gettext("There is no webhook %(id)s.", id=webhook_id))
    return jsonify({"items": [webhooks.delivery_json(d) for d in webhooks.deliveries(session, webhook_id)]})
