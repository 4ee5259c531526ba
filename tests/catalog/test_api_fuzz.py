"""The API fuzzed against its own OpenAPI document by schemathesis, every phase, bad input included.

The schemathesis command line runs against the production server (gunicorn on PostgreSQL)
with every phase: the document's examples, coverage (each boundary and each way to break
each parameter and body), fuzzing with valid and invalid data, and stateful chains that
follow the document's links from what they create to every operation on it (the event
stream included). Each request goes out as one of the roles or anonymous, in turn
(``tests/catalog/fuzz_roles.py``). The run must end with no server error, no undocumented
status or media type, and every answer and every pushed event matching its schema.

The run is seeded and bounded (``TIANSHAN_FUZZ_EXAMPLES`` per operation, 3 by default);
``make fuzz`` runs it longer.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import typing as t
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.catalog.payloads import product
from tests.catalog.test_streams_helpers import STREAM
from tests.conftest import Tokens
from tests.support.gunicorn import REPO
from tests.support.gunicorn import gunicorn
from tests.support.postgres import ON_POSTGRESQL

EXAMPLES = int(os.environ.get("TIANSHAN_FUZZ_EXAMPLES", "3"))
SEED = int(os.environ.get("TIANSHAN_FUZZ_SEED", "1"))
#: The stateful phase's settings: how many chains, how many steps each.
CONFIG = Path(__file__).with_name("schemathesis.toml")
#: Links from a created resource to an operation on it the stateful chains must follow (23 at
#: the seed; none when every chain stops at its first request).
MIN_LINKS_FOLLOWED = 12
PHASES = "examples,coverage,fuzzing,stateful"
#: What must hold for every answer. Left out on purpose: whether the server accepts every
#: request the document allows (an EAN check digit, a currency's minor digits or a country code
#: is a rule the document cannot spell, and answers 422) or refuses every one it does not.
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
        "use_after_free",
        "ensure_resource_availability",
    ]
)


def seed_catalog(client: FlaskClient, tokens: Tokens) -> None:
    """Something for every operation to find: a product, a rate, a live stream with a run-sheet."""
    made = client.post("/api/v1/products", json=product(), headers=tokens.headers("editor"))
    assert made.status_code == 201, made.json
    rate = client.put("/api/v1/rates/KZT", json={"per_cny": "68.5"}, headers=tokens.headers("editor"))
    assert rate.status_code == 201, rate.json
    stream = client.post("/api/v1/streams", json=STREAM, headers=tokens.headers("host"))
    assert stream.status_code == 201, stream.json
    lineup = client.put(
        stream.headers["Location"] + "/lineup",
        json={"product_ids": [made.json["id"]]},
        headers=tokens.headers("host", **{"If-Match": stream.headers["ETag"]}),
    )
    assert lineup.status_code == 200, lineup.json
    started = client.post(stream.headers["Location"] + "/start", headers=tokens.headers("host"))
    assert started.status_code == 200, started.json


def run_schemathesis(port: int, tokens: Tokens, report: Path) -> subprocess.CompletedProcess[str]:
    """The schemathesis command line against the server on *port*, as the README shows it."""
    command = [
        str(Path(sys.executable).parent / "schemathesis"),
        f"--config-file={CONFIG}",
        "run",
        f"http://127.0.0.1:{port}/api/v1/openapi.json",
        f"--phases={PHASES}",
        "--mode=all",
        f"--max-examples={EXAMPLES}",
        f"--seed={SEED}",
        "--workers=1",
        f"--checks={CHECKS}",
        "--suppress-health-check=all",
        "--request-timeout=10",
        "--report=junit",
        f"--report-dir={report}",
    ]
    environment = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "SCHEMATHESIS_HOOKS": "tests.catalog.fuzz_roles",
        "TIANSHAN_FUZZ_TOKENS": json.dumps(dict(tokens)),
        "NO_COLOR": "1",
    }
    return subprocess.run(command, cwd=REPO, env=environment, capture_output=True, text=True, timeout=1500)


@pytest.mark.slow
@ON_POSTGRESQL
def test_every_phase_finds_no_server_error_and_no_answer_off_its_schema(
    app: Flask, app_config: dict[str, t.Any], tokens: Tokens, tmp_path: Path
) -> None:
    seed_catalog(app.test_client(), tokens)
    with gunicorn(app_config, tmp_path / "served", env={"TIANSHAN_LIVE_HEARTBEAT_SECONDS": "1"}) as port:
        result = run_schemathesis(port, tokens, tmp_path / "report")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-20000:]
    selected = re.search(r"Selected: (\d+)/(\d+)", output)
    tested = re.search(r"Tested: (\d+)", output)
    assert selected and tested, output[-3000:]
    assert int(selected.group(1)) == int(selected.group(2)) == int(tested.group(1)) >= 48
    for phase in ("Examples", "Coverage", "Fuzzing", "Stateful"):
        assert re.search(rf"✅ {phase}", output), f"{phase} did not pass:\n{output[-3000:]}"
    assert re.search(r"\d+ generated, \d+ passed", output), output[-3000:]
    links = re.search(r"API Links:\s+(\d+) covered", output)
    assert links and int(links.group(1)) >= MIN_LINKS_FOLLOWED, output[-3000:]
