"""The search contract suite, run unchanged against Elasticsearch and OpenSearch.

The ``make_engine`` fixture of this package's conftest gives each test new, empty engines
on the session's real nodes.
"""

from __future__ import annotations

from tests.search.contract.suite import *  # noqa: F403
