# The two commands of the README: `make run` (the whole system locally) and `make test`.
PY := .venv/bin/python
# The source roots: functions/ (what the Lambda functions import), website/ (the site generator) and
# tools/ (local stack, benchmarks). The venv's editable install maps them too; this keeps a new package found.
SRC := PYTHONPATH=$(CURDIR)/functions:$(CURDIR)/website:$(CURDIR)/tools
SETUP_STAMP := .venv/.installed
UV := .venv/bin/uv
, := ,

.PHONY: setup lock run test lint typecheck check site bench deploy clean

setup:
	@bash scripts/setup.sh

$(SETUP_STAMP): pyproject.toml uv.lock scripts/setup.sh
	@bash scripts/setup.sh

## Lock every Python package with hashes, after a change to pyproject.toml or requirements/*.in: the
## project's (uv.lock), each function package's (functions/requirements*.txt, exported from the same lock)
## and the tools' (requirements/*.txt). Versions already locked are kept; UPGRADE=1 takes the newest allowed.
FUNCTION_LOCKS := function:requirements.txt validator:requirements-validator.txt snapshot:requirements-build.txt
lock:
	@test -x .venv/bin/uv || bash scripts/setup.sh
	@$(UV) lock $(if $(UPGRADE),--upgrade)
	@$(foreach group_file,$(FUNCTION_LOCKS),$(UV) export --quiet --frozen --only-group $(word 1,$(subst :, ,$(group_file))) \
		--no-emit-project --output-file functions/$(word 2,$(subst :, ,$(group_file)));)
	@for tool in sam-cli checkov; do $(UV) pip compile --quiet requirements/$$tool.in --python .venv/bin/python \
		--universal --generate-hashes --custom-compile-command "make lock" $(if $(UPGRADE),--upgrade) \
		--output-file requirements/$$tool.txt; done

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
