# The two commands a new machine needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PAPERCAST := $(abspath $(BIN)/papercast)

.PHONY: demo test bench install clean-demo

install: $(STAMP)

# The machine's pip is too old to resolve some extras: upgrade it inside the venv first.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@# pip compiles what it installs, not an editable project's own modules; where Python may not write
	@# bytecode (PYTHONDONTWRITEBYTECODE), every command would compile them again (~20 ms a start).
	$(BIN)/python -m compileall -q articles audio feeds papercast
	touch $@

demo: $(STAMP)
	cd demo && $(PAPERCAST) add sample.md --skip-existing
	cd demo && $(PAPERCAST) render
	@echo "Listen: output/episodes/  Subscribe: output/feed.xml"

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadfile

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean-demo:
	rm -rf demo/papercast.db* demo/cache demo/.lock output/*
	touch output/.gitkeep
