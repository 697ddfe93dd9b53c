# The one entry point: `make demo`, `make test`, `make lint`, `make bench`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
OUT := out
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench bench-scale eval clean browser postgres ner-model

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	mkdir -p $(OUT)
	$(BIN)/dossier build examples/corpus --db $(OUT)/dossier.sqlite
	$(BIN)/dossier export --db $(OUT)/dossier.sqlite --format json -o $(OUT)/dossier.json
	$(BIN)/dossier export --db $(OUT)/dossier.sqlite --format md -o $(OUT)/dossier.md
	$(BIN)/dossier export --db $(OUT)/dossier.sqlite --format csv -o $(OUT)/csv
	$(BIN)/dossier export --db $(OUT)/dossier.sqlite --format html -o $(OUT)/site
	$(BIN)/dossier status --db $(OUT)/dossier.sqlite
	@echo "open $(OUT)/site/index.html"

# The suite runs twice: on SQLite, then the tests that use a store on PostgreSQL (a throwaway server the
# tests start and stop themselves; tests/backend_pass.py).
test: $(STAMP) browser postgres
	$(BIN)/ruff check .
	$(BIN)/pytest -q --backend sqlite
	$(BIN)/pytest -q --backend postgresql

# The browser tests drive Debian's Chromium through Playwright; Playwright never downloads a browser.
browser:
	command -v chromium >/dev/null || (apt-get update && apt-get install -y --no-install-recommends chromium)

# The PostgreSQL pass runs on a throwaway server (tests/backend_pass.py starts and stops it as the
# package's postgres user); only Debian's server binaries are needed, not a running service.
postgres:
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || \
		(apt-get update && apt-get install -y --no-install-recommends postgresql)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

eval: $(STAMP)
	mkdir -p $(OUT)
	$(BIN)/dossier build examples/corpus --db $(OUT)/dossier.sqlite
	$(BIN)/dossier eval --db $(OUT)/dossier.sqlite --gold ../shared/dev-gold

bench: $(STAMP)
	$(BIN)/python benchmarks/article_extraction.py
	$(BIN)/python benchmarks/timex_dateparser.py
	$(BIN)/python benchmarks/legacy_encodings.py
	$(BIN)/python benchmarks/crash_resume.py
	$(BIN)/python benchmarks/search_latency.py --articles 100000
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python benchmarks/ner_underthesea.py
	$(MAKE) bench-scale

# Build throughput, memory, store size and query latency at N = 1k, 10k and 100k, with the anchors and the
# Ray build of 10k (1 and 2 workers) in the same run; writes BENCHMARKS.md (~45 min on 2 cores).
bench-scale: $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python benchmarks/scale_build.py --sizes 1000 10000 100000 --ray --export-up-to 10000

# The entity recogniser's CRF, trained by the project's own code on the example corpus (the dev-gold
# files held out); the result is committed, so a build never needs this.
ner-model: $(STAMP)
	$(BIN)/python -m dossier.ner.train --corpus examples/corpus --holdout-gold ../shared/dev-gold

clean:
	rm -rf $(OUT) build *.egg-info src/*.egg-info
