# Ticketwarden: every target sets itself up on a fresh machine (python3 with venv is all it needs).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)

.PHONY: run test eval bench soak package install clean

# pip's own progress (one "Collecting ..." line per package) and the elapsed time at the end.
$(STAMP): requirements.txt requirements-dev.txt
	@started=$$(date +%s); \
	if ! test -x $(PY); then echo "[install] creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV) || exit 1; fi; \
	echo "[install] installing requirements-dev.txt into $(VENV) (a few minutes on a fresh machine)"; \
	$(PY) -m pip install --disable-pip-version-check --progress-bar on -r requirements-dev.txt || exit 1; \
	rm -f $(VENV)/.installed-*; touch $(STAMP); \
	echo "[install] done in $$(( $$(date +%s) - started )) s"

install: $(STAMP)

## make run [PORT=8000] [TENANTS=examples/tenants.yaml] [FRESH=1] [MOTO_PORT=5005]:
## moto server + table + tenants + chalice local; state saved in .local/state on exit
run: $(STAMP)
	$(PY) -m chalicelib.local$(if $(PORT), --port $(PORT))$(if $(MOTO_PORT), --moto-port $(MOTO_PORT))$(if $(TENANTS), --tenants $(TENANTS))$(if $(filter 1 yes true,$(FRESH)), --fresh)

## make test: the whole suite (unit, service, adapters on moto, app, e2e over HTTP)
test: $(STAMP)
	$(PY) -m pytest -n 2 --dist loadfile

## make eval [TICKETWARDEN_EVAL_DIR=folder]: accuracy tables of the text analysis -> EVALUATION.md
## (not part of make test), from the evaluation data written outside this project, read in place
## (default: evaluation/data.py)
export TICKETWARDEN_EVAL_DIR
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
