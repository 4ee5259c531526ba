"""Product search behind one interface: embedded SQLite FTS5, Elasticsearch, OpenSearch."""

from __future__ import annotations

from search.documents import FACETS as FACETS
from search.documents import LOCALES as LOCALES
from search.documents import MAX_LIMIT as MAX_LIMIT
from search.documents import MAX_QUERY_LENGTH as MAX_QUERY_LENGTH
from search.documents import MAX_WINDOW as MAX_WINDOW
from search.documents import SORTS as SORTS
from search.documents import TAX_REFUND as TAX_REFUND
from search.documents import BulkReport as BulkReport
from search.documents import EngineHealth as EngineHealth
from search.documents import FacetValue as FacetValue
from search.documents import InvalidQuery as InvalidQuery
from search.documents import LocalizedText as LocalizedText
from search.documents import RefundPeriod as RefundPeriod
from search.documents import SearchDocument as SearchDocument
from search.documents import SearchError as SearchError
from search.documents import SearchHit as SearchHit
from search.documents import SearchQuery as SearchQuery
from search.documents import SearchResult as SearchResult
from search.documents import SearchUnavailable as SearchUnavailable
from search.documents import Suggestion as Suggestion
from search.documents import category_ancestors as category_ancestors
from search.documents import document_problem as document_problem
from search.documents import query_problem as query_problem
from search.engine import PreparesDocuments as PreparesDocuments
from search.engine import SearchEngine as SearchEngine
from search.transliterate import kazakh_to_latin as kazakh_to_latin
from search.transliterate import latin_to_kazakh as latin_to_kazakh
from search.urls import engine_from_url as engine_from_url
