# The two commands of the README: `make run` (the whole system locally) and `make test`.
PY := .venv/bin/python
# The source roots: functions/ (what the Lambda functions import), website/ (the site generator) and
# tools/ (local stack, benchmarks). The venv's editable install maps them too; this keeps a new package found.
SRC := PYTHONPATH=$(CURDIR)/functions:$(CURDIR)/website:$(CURDIR)/tools
SETUP_STAMP := .venv/.installed
, := ,

.PHONY: setup run test lint typecheck check site bench deploy clean

setup:
	@bash scripts/setup.sh

$(SETUP_STAMP): pyproject.toml scripts/setup.sh
	@bash scripts/setup.sh

## Serve the site and the API on http://127.0.0.1:8000 with a local AWS (moto).
run: setup site
	@$(SRC) $(PY) -m devserver

## Everything CI runs: lint, types, the catalog check, all tests.
test: setup lint typecheck check
	@$(PY) -m pytest -q -p no:cacheprovider

## Ruff, and the functions' layers as contracts (pyproject.toml: [tool.importlinter]).
lint:
	@.venv/bin/ruff check functions website tools tests
	@PYTHONPATH=$(CURDIR)/functions .venv/bin/lint-imports --no-cache --no-logo

typecheck:
	@.venv/bin/mypy

## Load products.yaml and print one line per product; exits non-zero when it is invalid.
check:
	@cd functions && ../$(PY) -m catalog

## Build the static site into site/ (SITE_BUILDER=zensical: with Zensical rather than MkDocs).
site:
	@$(SRC) $(PY) -m sitegen build $(if $(SITE_BUILDER),--builder $(SITE_BUILDER))

## Benchmarks: figures printed, not pass/fail. ONLY=site,lighthouse runs those alone.
bench: setup
	@$(SRC) $(PY) -m benchmarks $(subst $(,), ,$(ONLY))

## Deploy an environment of samconfig.toml (CONFIG_ENV=staging or production), asking nothing: it prints
## the plan, stops when no AWS credentials are configured, else builds (sam build, the site), deploys the
## web ACL and the stack, uploads the site and invalidates CloudFront. DOMAIN= and CERTIFICATE= give the
## site its own address (else the deployed one is kept, or the cloudfront.net address); ALARM_EMAIL= too.
CONFIG_ENV ?= staging
deploy: setup
	@$(SRC) $(PY) -m deploy $(CONFIG_ENV) $(if $(DOMAIN),--domain $(DOMAIN)) \
		$(if $(CERTIFICATE),--certificate $(CERTIFICATE)) $(if $(ALARM_EMAIL),--alarm-email $(ALARM_EMAIL))

clean:
	rm -rf site build test-output .pytest_cache .mypy_cache .ruff_cache
