# Ticketwarden: every target sets itself up on a fresh machine (python3 with venv is all it needs).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)

.PHONY: run test eval bench soak package install clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@rm -f $(VENV)/.installed-*; touch $(STAMP)

install: $(STAMP)

## make run: moto server + table + demo tenants + chalice local on http://127.0.0.1:8000
run: $(STAMP)
	$(PY) -m chalicelib.local

## make test: the whole suite (unit, service, adapters on moto, app, e2e over HTTP)
test: $(STAMP)
	$(PY) -m pytest -n 2 --dist loadfile

## make eval: accuracy tables of the text analysis -> EVALUATION.md (not part of make test)
eval: $(STAMP)
	$(PY) -m evaluation

## make bench: calls per event, CPU, cold start, zip size, cost model, simulator -> BENCHMARKS.md
bench: $(STAMP)
	$(PY) -m bench

## make soak: >= 10,000 deliveries with duplicates, reordering and injected faults -> soak/RESULTS.md
soak: $(STAMP)
	$(PY) -m soak

## make package [STAGE=prod]: build/package/sam.json + deployment.zip, linted with cfn-lint
package: $(STAMP)
	scripts/package.sh $(or $(STAGE),dev) build/package

clean:
	rm -rf $(VENV) .hypothesis
