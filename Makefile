# Tianshan Catalog: `make demo` runs the service on the embedded default; `make test` runs every check.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: install system-deps demo serve test lint typecheck pytest fuzz bench messages engines engines-stop clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)
	@$(BIN)/python -m translations.build

# What the suite starts or drives itself, from Debian's packages: PostgreSQL, Java and Maven (the
# search engines), Chromium (browser tests), libvips and wrk (benchmarks).
system-deps:
	@bash scripts/system-deps.sh

# UI catalogs: extract the strings from the source, merge them into every locale's messages.po
# (new strings arrive untranslated, changed ones fuzzy: translate them, the tests insist), compile.
messages: $(STAMP)
	$(BIN)/pybabel -q extract -F translations/babel.cfg -k _l -k lazy_gettext --no-location \
		--project "Tianshan Catalog" --version 0.1.0 --copyright-holder "Tianshan Catalog" \
		-o translations/messages.pot.new .
	@# keep the old template (and a clean tree) when only its creation date would change
	@if diff -q -I '^"POT-Creation-Date: ' translations/messages.pot translations/messages.pot.new >/dev/null 2>&1; \
		then rm translations/messages.pot.new; else mv translations/messages.pot.new translations/messages.pot; fi
	$(BIN)/pybabel -q update -i translations/messages.pot -d translations \
		--ignore-obsolete --ignore-pot-creation-date
	@$(BIN)/python -m translations.build

demo: install
	$(BIN)/tianshan db upgrade
	$(BIN)/tianshan demo
	TIANSHAN_WEB_SECURE_COOKIES=false $(BIN)/tianshan run --host $(HOST) --port $(PORT)

serve: install
	$(BIN)/tianshan db upgrade
	$(BIN)/gunicorn --config gunicorn.conf.py wsgi:app

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy catalog search translations media tools wsgi.py

pytest: $(STAMP)
	$(BIN)/pytest

test: install system-deps lint typecheck pytest

# The schemathesis run of the suite (every phase, every role, bad input included), longer:
# FUZZ_EXAMPLES per operation (the suite uses 3) and another seed with FUZZ_SEED.
FUZZ_EXAMPLES ?= 50
FUZZ_SEED ?= 1
fuzz: install system-deps
	CI=true TIANSHAN_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) TIANSHAN_FUZZ_SEED=$(FUZZ_SEED) \
		$(BIN)/pytest tests/catalog/test_api_fuzz.py -q -p no:randomly

bench: install system-deps
	$(BIN)/python -m bench

engines: install
	$(BIN)/python -m tools.engines start

engines-stop:
	$(BIN)/python -m tools.engines stop

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
