"""Media: the upload pipeline, content-addressed storage and on-air card rendering.

Pure functions and small classes on plain values; nothing here knows about Flask or the
catalog. The web layer uses it like this::

    storage = media.LocalStorage(instance_path / "media")        # TIANSHAN_MEDIA_ROOT

    # POST /api/v1/products/{id}/images
    data = media.read_limited(request.files["file"].stream)      # 413 past the size limit
    stored = media.store_upload(storage, data, focal=(0.5, 0.5))  # -> StoredImage
    stored.sha256, stored.width, stored.height, stored.format
    stored.renditions["thumb"]["webp"].name   # "<sha256>.webp", for the /media/<name> URL
    # Errors are media.MediaError subclasses with .status (413, 415, 422, 500, 507) and a
    # message for people; nothing is left in storage after any of them.

    # GET /media/<name>
    key = media.key_from_name(name)           # raises InvalidKey (404) for anything odd
    path = storage.path(key)                  # or storage.open(key) for other storages
    media.content_type_for(key), media.etag_for(key), media.CACHE_CONTROL_IMMUTABLE

    # Pick WebP or the JPEG fallback for a rendition, by the request's Accept header:
    fmt = media.choose_format(request.headers.get("Accept"))     # "webp" or "jpeg"

    # Staff moved the focal point: re-make the card renditions from the stored zoom.
    card = media.recrop_card(storage, stored.renditions["zoom"]["webp"].key, (0.3, 0.6))

    # GET /api/v1/products/{id}/card.png
    cards = media.RenderCache(max_entries=256)                   # one per process
    png = cards.get_or_render(
        (product.id, product.version, locale, currency, layout),
        lambda: media.render_card(media.CardContent(...), layout),
    )

    # Housekeeping (a CLI command): every hash the database still references.
    report = media.collect_garbage(storage, referenced_hashes, dry_run=True)

    # tianshan demo
    jpeg = media.render_demo_image(name, category="food.flour", seed=product_sku)

Policies:

- The format comes from the bytes, never the file name or the declared type.
- Animated GIF, WebP and PNG uploads are accepted; the first frame is used.
- HEIC/HEIF is accepted only when the installed Pillow has a HEIF decoder (otherwise 415
  with advice); AVIF when Pillow has its AVIF codec (Pillow 11.2+ wheels do).
- Work is bounded before decoding: file size (25 MB), claimed pixels (50 MP) and side
  (20,000 px), JPEG metadata (4 MB); JPEGs are decoded at the smallest DCT scale that
  still covers the zoom and the card. See :class:`Limits`.
- Originals are not kept: only the renditions, which carry no metadata at all. The zoom
  (1600 px) is the source for later re-crops.
- Every stored file is named by the SHA-256 of its bytes, which is also its strong ETag;
  the files never change, so they can be cached for a year.
"""

from __future__ import annotations

from media.cache import RenderCache as RenderCache
from media.cards import LAYOUTS as LAYOUTS
from media.cards import CardContent as CardContent
from media.cards import CardLabels as CardLabels
from media.cards import Layout as Layout
from media.cards import overflow as overflow
from media.cards import render_card as render_card
from media.cards import render_card_image as render_card_image
from media.demo import render_demo_image as render_demo_image
from media.errors import CorruptImage as CorruptImage
from media.errors import DecompressionBomb as DecompressionBomb
from media.errors import InvalidKey as InvalidKey
from media.errors import MediaError as MediaError
from media.errors import MediaNotFound as MediaNotFound
from media.errors import MediaTooLarge as MediaTooLarge
from media.errors import StorageError as StorageError
from media.errors import StorageFull as StorageFull
from media.errors import StorageUnavailable as StorageUnavailable
from media.errors import UnsupportedMediaType as UnsupportedMediaType
from media.gc import GcReport as GcReport
from media.gc import collect_garbage as collect_garbage
from media.locations import StorageLocationError as StorageLocationError
from media.locations import open_storage as open_storage
from media.pipeline import DEFAULT_LIMITS as DEFAULT_LIMITS
from media.pipeline import DecodedImage as DecodedImage
from media.pipeline import Limits as Limits
from media.pipeline import decode_upload as decode_upload
from media.renditions import RENDITIONS as RENDITIONS
from media.renditions import RenditionSpec as RenditionSpec
from media.s3 import S3Storage as S3Storage
from media.serving import CACHE_CONTROL_IMMUTABLE as CACHE_CONTROL_IMMUTABLE
from media.serving import choose_format as choose_format
from media.serving import content_type_for as content_type_for
from media.serving import etag_for as etag_for
from media.storage import LocalStorage as LocalStorage
from media.storage import Storage as Storage
from media.storage import key_for as key_for
from media.storage import key_from_name as key_from_name
from media.storage import name_of as name_of
from media.storage import validate_key as validate_key
from media.uploads import StoredImage as StoredImage
from media.uploads import StoredRendition as StoredRendition
from media.uploads import read_limited as read_limited
from media.uploads import recrop_card as recrop_card
from media.uploads import store_upload as store_upload
