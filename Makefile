# Two commands a newcomer runs: `make demo` and `make test`. Both set up .venv on first use
# and are quick on a second run (the install is redone only when pyproject.toml changes).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# Estimator modules are also tested against the oldest scikit-learn we support, in its own venv.
OLDEST_VENV := .venv-sklearn-oldest
OLDEST_STAMP := $(OLDEST_VENV)/.installed-stamp
OLDEST_SKLEARN_VERSION := 1.6.1
OLDEST_SKLEARN := scikit-learn==$(OLDEST_SKLEARN_VERSION)
OLDEST_TESTS := tests/metrics tests/resample tests/ensemble tests/decision tests/weighting tests/regression tests/select tests/test_estimator_checks.py
PYTEST_FLAGS ?=

.PHONY: setup demo test lint browser test-newest test-oldest clean bench-ensembles bench-climb bench-selection bench-deep-lt bench-regression bench-samplers

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[all,dev]"
	touch $@

setup: $(STAMP)

demo: setup
	$(BIN)/skewlearn profile yeast4
	$(BIN)/skewlearn compare --out skewlearn-out --force

lint: setup
	$(BIN)/ruff check src tests benchmarks scripts

# The report test opens report.html in headless Chromium (Debian's package).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends chromium; }

# pytest exits 5 when it collects no tests; that is a failure here (a suite that finds nothing
# tests nothing), so it is not masked.
test-newest: setup browser
	$(BIN)/python -m pytest $(PYTEST_FLAGS)

$(OLDEST_VENV)/bin/python:
	$(PYTHON) -m venv $(OLDEST_VENV)
	$(OLDEST_VENV)/bin/python -m pip install -q --upgrade pip

$(OLDEST_STAMP): pyproject.toml | $(OLDEST_VENV)/bin/python
	$(OLDEST_VENV)/bin/python -m pip install -q -e ".[dev]" "$(OLDEST_SKLEARN)"
	touch $@

test-oldest: $(OLDEST_STAMP)
	$(OLDEST_VENV)/bin/python -c "import sklearn; assert sklearn.__version__ == '$(OLDEST_SKLEARN_VERSION)', sklearn.__version__"
	$(OLDEST_VENV)/bin/python -m pytest $(PYTEST_FLAGS) -m "not slow" $(OLDEST_TESTS)

test: lint browser test-newest test-oldest

clean:
	rm -rf $(VENV) $(OLDEST_VENV) build src/*.egg-info .pytest_cache .ruff_cache

# Peers that pin old versions are measured from their own venvs, never installed into ours.
PEER_ENSEMBLES := benchmarks/.venv-peer-ensembles
BENCH_FLAGS ?= --n 100000

$(PEER_ENSEMBLES)/bin/python:
	$(PYTHON) -m venv $(PEER_ENSEMBLES)
	$(PEER_ENSEMBLES)/bin/python -m pip install -q "imbalanced-ensemble==0.2.3" "scikit-learn==1.6.0"

bench-ensembles: setup $(PEER_ENSEMBLES)/bin/python
	$(BIN)/python benchmarks/ensembles.py $(BENCH_FLAGS) --peer-python $(PEER_ENSEMBLES)/bin/python
	OMP_NUM_THREADS=1 $(BIN)/python benchmarks/ensembles_keel.py --peer-python $(PEER_ENSEMBLES)/bin/python

bench-climb: setup
	$(BIN)/python benchmarks/climb.py --max-n 500 --cv 5 --repeats 1 --n-jobs 2

bench-selection: setup
	OMP_NUM_THREADS=1 $(BIN)/python benchmarks/selection.py --max-n 400 --n-jobs 2

bench-deep-lt: setup
	$(BIN)/python benchmarks/deep_lt.py

PEER_DENSEWEIGHT := benchmarks/.venv-peer-denseweight

$(PEER_DENSEWEIGHT)/bin/python:
	$(PYTHON) -m venv $(PEER_DENSEWEIGHT)
	$(PEER_DENSEWEIGHT)/bin/python -m pip install -q "denseweight==0.1.2"

bench-regression: setup $(PEER_DENSEWEIGHT)/bin/python
	OMP_NUM_THREADS=1 $(BIN)/python benchmarks/regression.py --peer-python $(PEER_DENSEWEIGHT)/bin/python

bench-samplers: setup
	$(BIN)/python benchmarks/samplers.py --n 100000 --timeout 300
	$(BIN)/python benchmarks/samplers.py --n 20000 --methods CondensedNearestNeighbour --timeout 130 --tag samplers-cnn-n20000
