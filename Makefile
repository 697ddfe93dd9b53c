# The one entry point: `make demo`, `make test`, `make lint`, `make bench`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
OUT := out
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench eval clean

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

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

eval: $(STAMP)
	mkdir -p $(OUT)
	$(BIN)/dossier build examples/corpus --db $(OUT)/dossier.sqlite
	$(BIN)/dossier eval --db $(OUT)/dossier.sqlite --gold ../shared/dev-gold

bench: $(STAMP)
	$(BIN)/python benchmarks/article_extraction.py

clean:
	rm -rf $(OUT) build *.egg-info src/*.egg-info
