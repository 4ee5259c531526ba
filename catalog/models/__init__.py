"""The catalog's data model (SQLAlchemy 2.x, typed); the database is the source of truth."""

from __future__ import annotations

from catalog.models.analytics import SearchClickCount as SearchClickCount
from catalog.models.analytics import SearchCount as SearchCount
from catalog.models.analytics import StreamProductCount as StreamProductCount
from catalog.models.audit import AuditEntry as AuditEntry
from catalog.models.base import Base as Base
from catalog.models.base import utcnow as utcnow
from catalog.models.changes import TableChangeCount as TableChangeCount
from catalog.models.images import ProductImage as ProductImage
from catalog.models.outbox import OutboxEntry as OutboxEntry
from catalog.models.products import Booth as Booth
from catalog.models.products import Category as Category
from catalog.models.products import ExchangeRate as ExchangeRate
from catalog.models.products import Product as Product
from catalog.models.products import ProductContent as ProductContent
from catalog.models.products import ProductStatus as ProductStatus
from catalog.models.products import WholesaleTier as WholesaleTier
from catalog.models.search_curation import SearchRule as SearchRule
from catalog.models.search_curation import SearchSynonym as SearchSynonym
from catalog.models.signin import SigninFailure as SigninFailure
from catalog.models.streams import DeliveryStatus as DeliveryStatus
from catalog.models.streams import LineupItem as LineupItem
from catalog.models.streams import Stream as Stream
from catalog.models.streams import StreamCursor as StreamCursor
from catalog.models.streams import StreamEvent as StreamEvent
from catalog.models.streams import StreamHost as StreamHost
from catalog.models.streams import StreamMove as StreamMove
from catalog.models.streams import StreamStatus as StreamStatus
from catalog.models.streams import Webhook as Webhook
from catalog.models.streams import WebhookDelivery as WebhookDelivery
from catalog.models.tax_refund import TaxRefundLimits as TaxRefundLimits
from catalog.models.tax_refund import TaxRefundRate as TaxRefundRate
from catalog.models.translation import ContentReview as ContentReview
from catalog.models.translation import ContentRevision as ContentRevision
from catalog.models.translation import Glossary as Glossary
from catalog.models.translation import GlossaryEntry as GlossaryEntry
from catalog.models.users import ApiToken as ApiToken
from catalog.models.users import Reader as Reader
from catalog.models.users import Role as Role
from catalog.models.users import User as User
from catalog.models.viewer_requests import ViewerRequest as ViewerRequest
