# Two commands for a fresh machine: `make pamphlet` builds this week's issue,
# `make test` runs the whole test suite. Both bootstrap .venv first.
PY := .venv/bin/python
STAMP := .venv/.bootstrapped

.PHONY: pamphlet test bench clean

pamphlet: $(STAMP)
	$(PY) build.py

# Lint and types first (seconds), then the tests.
test: $(STAMP)
	$(PY) -m ruff check pamphlet tests benchmarks build.py
	$(PY) -m ruff format --check pamphlet tests benchmarks build.py
	$(PY) -m mypy
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) benchmarks/bench_build.py

$(STAMP): pyproject.toml requirements.lock scripts/bootstrap
	bash scripts/bootstrap

clean:
	rm -rf output/*.pdf output/*.html
