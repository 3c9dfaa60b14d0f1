# Genuine — build, run, test, benchmark.
# `make run` and `make test` work on a fresh Debian machine: they install what is missing first.

SWIFT ?= swift
APT_PACKAGES := libpng-dev libjpeg-dev libsqlite3-dev pkg-config libdeflate-dev
DEMO_DIR ?= .build/demo

.PHONY: deps build release run test bench stress fuzz clean e2e load

# Install the C libraries the photo loader and the store link against, only when missing.
deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $$missing; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# The bundled sample photos decoded, then the demo story: a registry with two brands, recalls and a blacklisted seller, six package
# photos rendered against it, then each photo read and judged as a parent's check would be.
run: release
	.build/release/genuine decode testimages/*.png testimages/*.jpg
	rm -rf $(DEMO_DIR)
	.build/release/genuine demo --db $(DEMO_DIR)/genuine.sqlite --photos $(DEMO_DIR)/photos
	.build/release/genuine verify --db $(DEMO_DIR)/genuine.sqlite --consumer demo-parent $(DEMO_DIR)/photos/*
	@echo "Open http://127.0.0.1:$(PORT)/ and upload one of:"; ls -1 $$PWD/$(DEMO_DIR)/photos/*
	.build/release/genuine serve --db $(DEMO_DIR)/genuine.sqlite --port $(PORT)

test: deps
	$(SWIFT) test --parallel
	$(MAKE) e2e
	python3 benchmarks/bench.py --smoke  # the benchmark code builds and runs on a tiny input (not timed)

# Decode rate and speed beside zxing-cpp, ZBar, OpenCV and quirc, plus the kernel microbenchmarks:
# writes benchmarks/results/bench.md, bench-DATE.json and the charts (peers go into benchmarks/.venv).
bench: release
	python3 benchmarks/bench.py --no-build

# The page in real headless Chromium (Debian chromium + chromium-driver, selenium in a venv).
PORT ?= 8080
E2E_VENV := Tests/e2e/.venv
e2e:
	@$(MAKE) --no-print-directory deps APT_PACKAGES="chromium chromium-driver python3-venv"
	@[ -x $(E2E_VENV)/bin/python ] || python3 -m venv $(E2E_VENV)
	@$(E2E_VENV)/bin/python -c "import selenium" 2>/dev/null || $(E2E_VENV)/bin/pip install -q selenium
	$(SWIFT) build --product genuine
	$(E2E_VENV)/bin/python Tests/e2e/test_page.py --genuine .build/debug/genuine

# 200 concurrent uploaders against a release build on loopback; writes benchmarks/results/load.md.
load: release
	python3 benchmarks/load_test.py --genuine .build/release/genuine

# The synthetic stress set beside zxing-cpp (installed into benchmarks/.venv on first use).
stress: release
	python3 benchmarks/stress_compare.py --no-build

# The reader and the photo loader under the address sanitizer on seeded hostile inputs
# (FuzzCase), FUZZ_SECONDS long; the last seed tried is in .build-asan/fuzz-last-seed.txt.
FUZZ_SECONDS ?= 600
fuzz: deps
	$(SWIFT) build -c release --product qrfuzz --scratch-path .build-asan -Xswiftc -sanitize=address -Xcc -fsanitize=address
	.build-asan/release/qrfuzz --seconds $(FUZZ_SECONDS) --log .build-asan/fuzz-last-seed.txt

clean:
	rm -rf .build
