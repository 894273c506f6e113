# Kaoshi build.
#   make              build/kaoshi (optimised) and build/libkaoshi.a
#   make test         the sanitized build (clang, ASan+UBSan, under build/asan),
#                     the layer check, then every suite: unit, CLI (in parallel)
#                     and browser; ends with one line "N passed, N failed"
#   make unit         only the C unit tests;  make test-cli  only the CLI suites;
#   make test-browser only the browser suites; make test SUITE=name  one suite
#                     (test_store, test_lifecycle, exam, ...)
#   make check-layers each engine/ folder includes only from the folders below it
#   make deps         install the Debian packages the build and tests need
#   make bench        the benchmarks (bench/), built optimised, run by bench/run; writes
#                     bench/results.json and prints a table (RUNS=N, default 3; BENCH_ONLY=name)
#   make demo         a whole demo sitting through the command line (tools/demo)
#   make run          serve a demo sitting in the browser (tools/run)
#   make clean
# engine/ is split by layer; engine/README.md draws them and engine/layers says
# which folder may use which. Only engine/lua/ is compiled with Lua's headers.

CC      ?= cc
SAN_CC  ?= clang
BUILD   ?= build
JOBS    ?= 3
PKGS    := lua5.4 sqlite3 yaml-0.1 libsodium jansson gsl libmicrohttpd pangocairo libqrencode
NOLUA   := $(filter-out lua5.4,$(PKGS))
WARN    := -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2 -Wvla
CSTD    := -std=c11 -D_GNU_SOURCE
OPT     ?= -O2 -g
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
# Commands are shown as "CC file"; V=1 shows them whole.
Q       := $(if $(filter 1,$(V)),,@)

# A missing development package stops the build here, by name, rather than
# later as a compile error (make deps installs them all).
ifeq ($(filter deps clean,$(MAKECMDGOALS)),)
MISSING := $(shell for p in $(PKGS); do pkg-config --exists $$p || echo $$p; done)
ifneq ($(strip $(MISSING)),)
$(error pkg-config cannot find: $(strip $(MISSING)) (run 'make deps'))
endif
endif

INCS      := -Iinclude -Iengine -I$(BUILD)/gen $(shell pkg-config --cflags $(NOLUA) 2>/dev/null)
LUA_INCS  := $(shell pkg-config --cflags lua5.4 2>/dev/null)
LIBS      := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm

# --- sources: one folder per layer, lowest first ------------------------------
# Each folder's .c files are its sources; engine/layers lists what each may use.
layer_src = $(sort $(wildcard engine/$(1)/*.c))
LIB_LAYERS   := base stats analytics store lua exam
FRONT_LAYERS := http cli
LIB_SRC      := $(foreach l,$(LIB_LAYERS),$(call layer_src,$(l)))

# Lua files compiled into the binary (author API, built-in question types).
EMBED_LUA := \
	engine/lua/author.lua \
	engine/lua/types.lua \
	engine/lua/declare.lua \
	engine/lua/balance.lua \
	engine/lua/exercise.lua

EMBED_WEB := \
	web/index.html \
	web/exam.html \
	web/proctor.html \
	web/verify.html \
	web/app.css \
	web/calculator.css \
	web/calculator.js \
	web/exam-aids.js \
	web/common.js \
	web/login.js \
	web/exam.js \
	web/exam-page.js \
	web/exam-save.js \
	web/exam-clock.js \
	web/exam-events.js \
	web/exam-flags.js \
	web/exam-run.js \
	web/exam-nav.js \
	web/exam-summary.js \
	web/exam-number.js \
	web/exam-parts.js \
	web/exam-widgets.js \
	web/exam-result.js \
	web/exam-waiting.js \
	web/verify.js \
	web/proctor.css \
	web/proctor-base.js \
	web/proctor-status.js \
	web/proctor-events.js \
	web/proctor-scores.js \
	web/proctor-marking.js \
	web/proctor-live.js \
	web/proctor.js

UNIT_TESTS := $(sort $(wildcard tests/unit/test_*.c))
# Unit tests of the Lua layer itself, compiled with Lua's headers.
LUA_TESTS  := tests/unit/test_sandbox.c tests/unit/test_sandbox_errors.c

# Benchmark programs: bench/NAME.c -> $(BUILD)/bench/NAME, optimised, no
# sanitizers, each linked with the helpers in BENCH_LIB and libkaoshi.a.
BENCH := \
	bench_grading \
	bench_bank \
	bench_analytics \
	bench_saves \
	bench_start \
	bench_latency \
	bench_memory

BENCH_LIB := \
	bench/bench_blob_server.c \
	bench/bench_http.c \
	bench/bench_site.c \
	bench/bench_util.c

# --- derived -----------------------------------------------------------------
GEN_SRC   := $(BUILD)/gen/embedded_lua.c
FRONT_SRC := $(foreach l,$(FRONT_LAYERS),$(call layer_src,$(l))) $(BUILD)/gen/embedded_web.c

REL_DIR  := $(BUILD)/rel
ASAN_DIR := $(BUILD)/asan

rel_obj  = $(patsubst %.c,$(REL_DIR)/%.o,$(1))
asan_obj = $(patsubst %.c,$(ASAN_DIR)/%.o,$(1))

REL_LIB_OBJ  := $(call rel_obj,$(LIB_SRC) $(GEN_SRC))
ASAN_LIB_OBJ := $(call asan_obj,$(LIB_SRC) $(GEN_SRC))
UNIT_BINS    := $(patsubst tests/unit/%.c,$(ASAN_DIR)/tests/%,$(UNIT_TESTS))

REL_CMD  = $(CC) $(CSTD) $(WARN) $(OPT) $(INCS)
ASAN_CMD = $(SAN_CC) $(CSTD) $(WARN) -O1 -g $(SAN) $(INCS)

.PHONY: all test unit test-cli test-browser check-layers bench deps clean demo run FORCE fuzz fuzz-run
all: $(BUILD)/kaoshi $(BUILD)/libkaoshi.a

$(BUILD)/libkaoshi.a: $(REL_LIB_OBJ)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/kaoshi: $(call rel_obj,$(FRONT_SRC)) $(BUILD)/libkaoshi.a
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(OPT) -o $@ $^ $(LIBS)

$(ASAN_DIR)/kaoshi: $(call asan_obj,$(FRONT_SRC)) $(ASAN_LIB_OBJ)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(SAN_CC) $(SAN) -g -o $@ $^ $(LIBS)

$(ASAN_DIR)/tests/%: $(ASAN_DIR)/tests/unit/%.o $(ASAN_LIB_OBJ)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(SAN_CC) $(SAN) -g -o $@ $^ $(LIBS)

# The compile command of each build is kept in a file its objects depend on,
# so changing CC, OPT or a flag rebuilds them.
$(REL_DIR)/flags: FORCE
	@mkdir -p $(@D)
	@echo '$(REL_CMD)' | cmp -s - $@ || echo '$(REL_CMD)' > $@

$(ASAN_DIR)/flags: FORCE
	@mkdir -p $(@D)
	@echo '$(ASAN_CMD)' | cmp -s - $@ || echo '$(ASAN_CMD)' > $@

# Only the Lua layer (and its own tests) sees Lua's headers.
$(REL_DIR)/engine/lua/%.o $(ASAN_DIR)/engine/lua/%.o: XINCS := $(LUA_INCS)
$(call asan_obj,$(LUA_TESTS)): XINCS := $(LUA_INCS)

$(REL_DIR)/%.o: %.c $(REL_DIR)/flags
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(REL_CMD) $(XINCS) -MMD -MP -c -o $@ $<

$(ASAN_DIR)/%.o: %.c $(ASAN_DIR)/flags
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC asan $<")
	$(Q)$(ASAN_CMD) $(XINCS) -MMD -MP -c -o $@ $<

# Embedded files (Lua sources, web pages): a C table with one string per file.
$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -o $@ $<

$(BUILD)/gen/embedded_lua.c: $(BUILD)/tools/embed $(EMBED_LUA)
	@mkdir -p $(@D)
	$(BUILD)/tools/embed --include lua/embedded.h --type ks_embedded_file \
	    --symbol ks_embedded_lua --strip-ext .lua --source-prefix @ $(EMBED_LUA) > $@.tmp
	mv $@.tmp $@

$(BUILD)/gen/embedded_web.c: $(BUILD)/tools/embed $(EMBED_WEB)
	@mkdir -p $(@D)
	$(BUILD)/tools/embed --include http/assets.h --type http_asset --symbol http_assets \
	    $(EMBED_WEB) > $@.tmp
	mv $@.tmp $@

# --- tests -------------------------------------------------------------------
# tests/run takes the suites to run from its arguments: unit, cli, browser, or
# one suite's name. Browser suites need the npm packages; nothing else does.
TEST_ENV = KAOSHI=$(ASAN_DIR)/kaoshi UNIT_BINS="$(UNIT_BINS)" JOBS=$(JOBS) TEST_LOGS=$(BUILD)/test-logs
NPM_STAMP := node_modules/.package-lock.json
SUITE_NEEDS_NPM := $(if $(SUITE),$(wildcard $(foreach s,$(SUITE),tests/browser/$(s).test.mjs)),yes)

test: $(ASAN_DIR)/kaoshi $(UNIT_BINS) $(if $(SUITE_NEEDS_NPM),$(NPM_STAMP))
	@$(TEST_ENV) tests/run $(if $(SUITE),$(SUITE),layers unit cli browser)

unit: $(UNIT_BINS)
	@$(TEST_ENV) tests/run unit

test-cli: $(ASAN_DIR)/kaoshi
	@$(TEST_ENV) tests/run cli

test-browser: $(ASAN_DIR)/kaoshi $(NPM_STAMP)
	@$(TEST_ENV) tests/run browser

check-layers:
	@tools/check-layers .

# The benchmarks: build them and the kaoshi binary, then bench/run runs each.
BENCH_BINS := $(patsubst %,$(BUILD)/bench/%,$(BENCH))

$(BUILD)/bench/%: $(REL_DIR)/bench/%.o $(call rel_obj,$(BENCH_LIB)) $(BUILD)/libkaoshi.a
	@mkdir -p $(@D)
	$(CC) $(OPT) -o $@ $^ $(LIBS)

bench: $(BUILD)/kaoshi $(BENCH_BINS)
	@BUILD=$(BUILD) BENCH="$(BENCH)" bench/run

# The browser tests' npm packages (playwright-core, axe-core), as package-lock.json pins them.
$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

deps:
	tools/install-deps

demo: $(BUILD)/kaoshi
	tools/demo

run: $(BUILD)/kaoshi
	BUILD=$(BUILD) tools/run

clean:
	rm -rf $(BUILD)

.SECONDARY:
-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# --- fuzzing (tests/fuzz/, see tests/fuzz/README.md) ---------------------------
#   make fuzz                       the libFuzzer targets, as $(BUILD)/fuzz/fuzz_NAME
#   make fuzz-run FUZZ_SECONDS=30   each target that long on a scratch copy of its
#                                   seeds, two at a time; one line per target; fails
#                                   (keeping the input under $(BUILD)/fuzz/findings/)
#                                   when one crashed (FUZZ_ONLY="bank csv" for some)
# The engine is compiled again under $(BUILD)/fuzz/obj with the sanitizers and
# libFuzzer's coverage (-fsanitize=fuzzer-no-link); only engine/lua/ and the
# targets in FUZZ_LUA see Lua's headers.
FUZZ_CC      ?= $(SAN_CC)
FUZZ_SECONDS ?= 60
FUZZ_ONLY    ?=
FUZZ_DIR     := $(BUILD)/fuzz
FUZZ_NAMES   := bank answer http csv pattern declscan
FUZZ_LUA     := tests/fuzz/fuzz_pattern.c
FUZZ_BINS    := $(patsubst %,$(FUZZ_DIR)/fuzz_%,$(FUZZ_NAMES))
FUZZ_CMD      = $(FUZZ_CC) $(CSTD) $(WARN) -O1 -g $(SAN) -fsanitize=fuzzer-no-link $(INCS)
fuzz_obj      = $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$(1))

# The engine as two archives, so a target links only what it uses (and may
# define a front-end function itself: fuzz_csv compiles engine/cli/cmd_enroll.c).
$(FUZZ_DIR)/libengine.a: $(call fuzz_obj,$(LIB_SRC) $(GEN_SRC))
$(FUZZ_DIR)/libfront.a: $(call fuzz_obj,$(filter-out engine/cli/main.c,$(FRONT_SRC)))
$(FUZZ_DIR)/libengine.a $(FUZZ_DIR)/libfront.a:
	@$(if $(Q),echo "  AR fuzz $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(FUZZ_DIR)/flags: FORCE
	@mkdir -p $(@D)
	@echo '$(FUZZ_CMD)' | cmp -s - $@ || echo '$(FUZZ_CMD)' > $@

$(FUZZ_DIR)/obj/engine/lua/%.o: XINCS := $(LUA_INCS)
$(call fuzz_obj,$(FUZZ_LUA)): XINCS := $(LUA_INCS)

$(FUZZ_DIR)/obj/%.o: %.c $(FUZZ_DIR)/flags
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC fuzz $<")
	$(Q)$(FUZZ_CMD) $(XINCS) -MMD -MP -c -o $@ $<

$(FUZZ_DIR)/fuzz_%: $(FUZZ_DIR)/obj/tests/fuzz/fuzz_%.o $(FUZZ_DIR)/obj/tests/fuzz/fuzz_util.o \
                    $(FUZZ_DIR)/libfront.a $(FUZZ_DIR)/libengine.a
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(FUZZ_CC) -fsanitize=fuzzer,address,undefined -g -o $@ $^ $(LIBS)

fuzz: $(FUZZ_BINS)

fuzz-run: fuzz
	@BUILD=$(BUILD) FUZZ_SECONDS=$(FUZZ_SECONDS) \
	    tests/fuzz/run $(if $(strip $(FUZZ_ONLY)),$(FUZZ_ONLY),$(FUZZ_NAMES))
