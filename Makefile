# The README's two commands: `make demo` and `make test`. `make ui` opens Dagster on 127.0.0.1.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export DAGSTER_HOME := $(CURDIR)/.dagster_home
# The sandboxes accept these; with real services, export your own before running.
export STRIPE_API_KEY ?= sk_test_sandbox
export QBO_CLIENT_ID ?= sandbox-client-id
export QBO_CLIENT_SECRET ?= sandbox-client-secret
export XERO_CLIENT_ID ?= sandbox-client
export XERO_CLIENT_SECRET ?= sandbox-secret

.PHONY: install demo test ui sandbox bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

$(DAGSTER_HOME)/dagster.yaml: dagster.yaml
	mkdir -p $(DAGSTER_HOME)
	cp dagster.yaml $@

demo: install $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/ledger-pipeline demo

test: install
	$(BIN)/pytest -n 2 --dist loadfile -q

# Sandboxes on their fixed loopback ports (as ledger_pipeline.yaml expects), then the Dagster UI.
ui: install $(DAGSTER_HOME)/dagster.yaml
	export LEDGER_TOKEN_KEY=$${LEDGER_TOKEN_KEY:-$$($(BIN)/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')}; \
	$(BIN)/ledger-pipeline sandbox serve & trap "kill $$!" EXIT; \
	$(BIN)/dagster dev -h 127.0.0.1 -p 3000 -w workspace.yaml

sandbox: install
	$(BIN)/ledger-pipeline sandbox serve

bench: install
	$(BIN)/ledger-pipeline bench

clean:
	rm -rf .ledger .dagster_home .pytest_cache
