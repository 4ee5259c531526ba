"""Every contract test and fixture but ``make_engine``, for other packages to import.

``from tests.search.contract.suite import *`` in a test module runs the whole suite there
against the ``make_engine`` fixture of that package's conftest.
"""

from __future__ import annotations

from tests.search.contract.fixtures import catalog_engine as catalog_engine
from tests.search.contract.fixtures import engine as engine
from tests.search.contract.test_curation import *  # noqa: F403
from tests.search.contract.test_filters import *  # noqa: F403
from tests.search.contract.test_language import *  # noqa: F403
from tests.search.contract.test_lifecycle import *  # noqa: F403
from tests.search.contract.test_names import *  # noqa: F403
from tests.search.contract.test_ranking import *  # noqa: F403
from tests.search.contract.test_robustness import *  # noqa: F403
from tests.search.contract.test_rules import *  # noqa: F403
from tests.search.contract.test_suggest import *  # noqa: F403
from tests.search.contract.test_tax_refund import *  # noqa: F403
