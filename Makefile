# hwcloud.modelarts developer entry points. Every test target sets up what it needs
# (tools/bootstrap.sh creates .venv/core2.16 ... .venv/core2.22, one per supported core, on first use);
# emulator and build use what is on PATH (a Python 3.9+, an ansible-galaxy) and create no venv.
#
#   make demo      run demo/demo.yml against the bundled ModelArts emulator
#   make emulator  the bundled emulator in the foreground until Ctrl-C, for trying the collection (README, "Try it locally")
#   make build     the collection tarball into build/, with the ansible-galaxy on PATH
#   make test      every quality gate (what CI runs), ending with "N passed, M failed"
#
# Single gates: make sanity | units | integration | lint | importer | docs | ee | awx
# Limit the ansible-core versions with CORES (sanity, units) and INTEGRATION_CORES, e.g.  make sanity CORES=2.22
# Cut a release (refuses a dirty tree; see README.md, "Versioning and releases"):  make release VERSION=1.2.0

SHELL := /usr/bin/env bash
# sanity and units run on every supported core; integration (both paths) on the oldest (AAP 2.5's), on 2.19 (data
# tagging) and on the newest; the reliability suite on the oldest and the newest (the same as `make test`)
CORES ?= 2.16 2.17 2.18 2.19 2.20 2.21 2.22
INTEGRATION_CORES ?= 2.16 2.19 2.22
RELIABILITY_CORES ?= $(sort $(firstword $(CORES)) $(lastword $(CORES)))
DEMO_ARGS ?=
RELIABILITY_ARGS ?=
BENCH_ARGS ?=
# make emulator: the interpreter (any Python 3.9+; only the standard library is needed) and the port (0: any free one)
EMULATOR_PYTHON ?= python3
EMULATOR_PORT ?= 8780
TEST := tools/test.sh

.DEFAULT_GOAL := help
.PHONY: help venv demo emulator live test sanity units integration lint ansible-lint docs-lint importer docs ee awx \
	reliability bench build changelog-lint changelog-preview release gates clean distclean

help: ## show the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

venv: ## create/refresh the venvs (.venv/core2.16 ... .venv/core2.22) and ansible-test's get-pip stand-ins
	tools/bootstrap.sh

live: ## the live-cloud check with the credentials in the environment (HWCLOUD_LIVE_WRITE=1 also writes); skips cleanly without
	tools/live.sh

demo: ## run the demo playbook against the emulator; needs only Python 3.10-3.13, gets ansible-core 2.22 on 3.13 (DEMO_ARGS='-e demo_job_name=tb-bert-base')
	tools/demo.sh $(DEMO_ARGS)

emulator: ## the bundled emulator on 127.0.0.1:$(EMULATOR_PORT) until Ctrl-C; prints the HWCLOUD_* export lines (EMULATOR_PORT=0: any free port)
	@$(EMULATOR_PYTHON) tests/emulator/emulator.py --interactive --port $(EMULATOR_PORT)

test: ## run every gate (sanity, units, integration, lint, importer, docs, EE, AWX, ...)
	$(TEST)

gates: ## list the gate names (run some with: tools/test.sh GATE...)
	@$(TEST) --list

sanity: ## ansible-test sanity (all tests, Python 3.9-3.13) on each core in CORES
	$(TEST) sanity-ignores $(foreach c,$(CORES),sanity-$(c))

units: ## ansible-test units on each core in CORES
	$(TEST) $(foreach c,$(CORES),units-$(c))

integration: ## ansible-test integration (emulator-backed targets, both paths) on each core in INTEGRATION_CORES
	$(TEST) $(foreach c,$(INTEGRATION_CORES),integration-$(c))

lint: ## ansible-lint (production), antsibull-docs lint and antsibull-changelog lint
	$(TEST) ansible-lint docs-lint changelog-lint

ansible-lint: ## ansible-lint --profile production only
	$(TEST) ansible-lint

docs-lint: ## antsibull-docs lint-collection-docs --plugin-docs
	$(TEST) docs-lint

changelog-lint: ## antsibull-changelog lint
	$(TEST) changelog-lint

importer: ## build the collection tarball and run galaxy-importer on it
	$(TEST) galaxy-importer

docs: ## render the HTML docsite into docs/build/html
	tools/build-docs.sh

ee: ## ansible-builder create on extensions/ee as shipped and with the tarball, + install and introspect it on every core
	$(TEST) execution-environment

awx: ## the AWX credential type with ansible-runner against the emulator, and the AWX/EDA kits as the tarball ships them
	$(TEST) awx-runner

reliability: venv ## the reliability suite (tests/reliability) on the oldest and newest core (RELIABILITY_ARGS='--filter tls')
	.venv/core$(lastword $(RELIABILITY_CORES))/bin/python tests/reliability/run.py $(foreach c,$(RELIABILITY_CORES),--python-venv .venv/core$(c)) $(RELIABILITY_ARGS)

bench: ## the benchmark (tools/bench.sh; BENCH_ARGS=--small for the smoke run)
	tools/bench.sh $(BENCH_ARGS)

build: ## build the collection tarball into build/ with the ansible-galaxy on PATH (no venv, nothing written outside the checkout)
	@command -v ansible-galaxy >/dev/null 2>&1 || { echo "make build needs ansible-galaxy on PATH: install ansible-core" \
		"(python3 -m pip install ansible-core, in a virtual environment of your choice), then run make build again" >&2; exit 1; }
	ANSIBLE_HOME="$(CURDIR)/build/.ansible" ansible-galaxy collection build --force --output-path build .

changelog-preview: ## render the changelog of the upcoming release without changing the tree
	tools/changelog.sh preview

release: ## cut release VERSION=x.y.z: version everywhere, changelog section, tarball + galaxy-importer, commit and tag; prints the publish command
	tools/release.sh "$(VERSION)"

clean: ## remove build and test outputs (keeps the venvs)
	rm -rf build docs/build tests/output tests/awx/output tests/integration/inventory .ansible importer_result.json

distclean: clean ## also remove the venvs
	rm -rf .venv
