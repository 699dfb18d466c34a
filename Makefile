# The two commands: `make demo` and `make test` (see README.md; the rest is in docs/).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DATABASE_URL ?= sqlite:///evenly-demo.db
TEST_PG_URL ?= postgresql://postgres@127.0.0.1:5432/test
# The PostgreSQL run uses DATABASE_URL when it names PostgreSQL, else TEST_PG_URL.
PG_URL := $(if $(filter postgres%,$(DATABASE_URL)),$(DATABASE_URL),$(TEST_PG_URL))
# The SQLite test database lives in memory-backed /dev/shm where there is one: a commit there
# does not wait for the disk (~10 ms each on the test machine's disk).
TEST_TMPDIR ?= $(if $(wildcard /dev/shm/.),/dev/shm,/tmp)
TEST_TMP := $(shell mktemp -d -u $(TEST_TMPDIR)/evenly-test.XXXXXX)

.PHONY: setup demo test test-unit test-sqlite test-postgres lint bench clean translations catalogs docs

setup: $(STAMP) catalogs

# The translation catalogs compiled to .mo (gitignored); redone when a .po changes.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard web/locales/*/LC_MESSAGES/messages.po))
catalogs: $(MO_FILES)
web/locales/%/LC_MESSAGES/messages.mo: web/locales/%/LC_MESSAGES/messages.po | $(STAMP)
	$(BIN)/pybabel -q compile -d web/locales -D messages -l $*

# Re-extract every string from the sources and update the four catalogs (see docs/translations.md).
translations: setup
	$(BIN)/python -m web.catalogs update

$(STAMP): pyproject.toml .ci/system-packages
	bash .ci/system-packages
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

demo: setup
	DATABASE_URL=$(DEMO_DATABASE_URL) $(BIN)/evenly migrate
	DATABASE_URL=$(DEMO_DATABASE_URL) $(BIN)/evenly demo
	DATABASE_URL=$(DEMO_DATABASE_URL) $(BIN)/evenly serve

# Two lanes at once (each waits on the browser and the database more than it computes, so the
# two share 2 cores well; figures in docs/development.md): the database tests run in both, on
# SQLite and on PostgreSQL; every other test runs once, in the lane tests/lanes.py gives its
# file. SQLite shows its progress here, PostgreSQL writes to a log printed when it ends
# (tail -f it meanwhile).
PG_LOG := /tmp/$(notdir $(TEST_TMP))-postgres.log
test: lint
	@echo "PostgreSQL run in the background: tail -f $(PG_LOG)"
	@$(MAKE) --no-print-directory test-postgres LANE=postgres > $(PG_LOG) 2>&1 & postgres=$$!; \
	$(MAKE) --no-print-directory test-sqlite LANE=sqlite; sqlite=$$?; \
	wait $$postgres; pg=$$?; \
	echo "---- PostgreSQL run ($(PG_LOG)) ----"; cat $(PG_LOG); \
	echo "SQLite run: $$( [ $$sqlite -eq 0 ] && echo passed || echo FAILED ); PostgreSQL run: $$( [ $$pg -eq 0 ] && echo passed || echo FAILED )"; \
	[ $$sqlite -eq 0 ] && [ $$pg -eq 0 ]

# Alone (no LANE): the whole suite on a fresh SQLite file. With LANE=sqlite (`make test`): the
# database tests and the other tests tests/lanes.py leaves to this lane.
test-sqlite: setup
	mkdir -p $(TEST_TMP)
	DATABASE_URL=sqlite:///$(TEST_TMP)/evenly.db TEST_LANE=$(LANE) $(BIN)/pytest --durations=15; \
	status=$$?; rm -rf $(TEST_TMP); exit $$status

# Alone (no LANE): the database tests on PostgreSQL. With LANE=postgres (`make test`): those and
# the other tests tests/lanes.py gives this lane. A PostgreSQL that is not running skips the
# database tests with a message, except under CI=true, where that fails.
test-postgres: setup
	DATABASE_URL=$(PG_URL) TEST_LANE=$(LANE) $(BIN)/pytest $(if $(LANE),,-m db) --durations=15

# The quick check: the tests that need neither a database nor a browser, less the ones marked
# slow (those still run in `make test`). Named files, not the whole tree, so that collecting
# the web and browser tests costs nothing; the two outside tests/unit hold such tests too.
UNIT_TESTS := tests/unit tests/web/test_security_headers.py tests/db/test_review.py
test-unit: setup
	$(BIN)/pytest -q -m "not db and not browser and not slow" $(UNIT_TESTS)

# Style and types; `make test` (and so CI) runs it first. The packages mypy checks are listed
# in pyproject.toml ([tool.mypy] packages).
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The documentation site (docs/, mkdocs.yml) built into site/; --strict fails on any broken link.
docs: setup
	$(BIN)/mkdocs build --strict --quiet

clean:
	rm -rf $(VENV) site evenly-demo.db .pytest_cache .hypothesis .mypy_cache
