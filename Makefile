# Kaoshi build.
#   make          build/kaoshi (optimised) and build/libkaoshi.a
#   make test     everything rebuilt with ASan+UBSan under build/asan, then unit,
#                 CLI and browser tests; ends with one line "N passed, N failed"
#   make deps     install the Debian packages the build and tests need
#   make bench    the benchmarks (bench/), built optimised, run by bench/run; writes
#                 bench/results.json and prints a table (RUNS=N, default 3; BENCH_ONLY=name)
#   make demo     a whole demo sitting through the CLI (tools/demo)
#   make run      serve a demo sitting in the browser (tools/run)
#   make clean
# The core (engine/*.c) never includes lua.h; only engine/lua/ does.

CC      ?= cc
BUILD   ?= build
PKGS    := lua5.4 sqlite3 yaml-0.1 libsodium jansson gsl libmicrohttpd pangocairo libqrencode
WARN    := -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2 -Wvla
CSTD    := -std=c11 -D_GNU_SOURCE
INCS    := -Iinclude -Iengine -I$(BUILD)/gen $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LIBS    := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
OPT     ?= -O2 -g
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

# --- sources -----------------------------------------------------------------
# Core: plain C, no Lua.
CORE_SRC := \
	engine/error.c \
	engine/clock.c \
	engine/node.c \
	engine/bank.c \
	engine/rng.c \
	engine/draw.c \
	engine/text.c \
	engine/csv.c \
	engine/score.c \
	engine/stats_basic.c \
	engine/stats_dist.c \
	engine/stats_control.c \
	engine/stats_corr.c \
	engine/stats_ttest.c \
	engine/stats_forecast.c \
	engine/stats_erlang.c \
	engine/stats_sampling.c \
	engine/stats_rank.c \
	engine/stats_items.c \
	engine/stats_json.c \
	engine/chart.c \
	engine/analytics_data.c \
	engine/analytics.c \
	engine/analytics_compare.c \
	engine/analytics_json.c \
	engine/analytics_html.c \
	engine/analytics_load.c \
	engine/fileset.c \
	engine/store.c \
	engine/store_exam.c \
	engine/store_attempts.c \
	engine/store_proctor.c \
	engine/store_web.c \
	engine/store_marks.c \
	engine/store_publish.c \
	engine/exam.c \
	engine/exam_proctor.c \
	engine/exam_marking.c \
	engine/exam_view.c \
	engine/coverage.c \
	engine/simmodel.c \
	engine/simulate.c \
	engine/simulate_report.c \
	engine/sign.c \
	engine/store_certs.c \
	engine/certificate_pdf.c \
	engine/certificate.c

# Lua binding layer: the only place lua.h is included.
LUA_SRC := \
	engine/lua/sandbox.c \
	engine/lua/pattern.c \
	engine/lua/ljson.c \
	engine/lua/lrng.c \
	engine/lua/lscore.c \
	engine/lua/lstats.c \
	engine/lua/lchart.c \
	engine/lua/cert.c

# Lua files compiled into the binary (author API, built-in question types).
EMBED_LUA := \
	engine/lua/author.lua \
	engine/lua/types.lua

# Command-line front end.
CLI_SRC := \
	engine/cli/main.c \
	engine/cli/commands.c \
	engine/cli/context.c \
	engine/cli/columns.c \
	engine/cli/cmd_check.c \
	engine/cli/cmd_preview.c \
	engine/cli/cmd_sitting.c \
	engine/cli/cmd_enroll.c \
	engine/cli/cmd_attempt.c \
	engine/cli/cmd_results.c \
	engine/cli/cmd_report.c \
	engine/cli/cmd_mark.c \
	engine/cli/cmd_coverage.c \
	engine/cli/cmd_simulate.c \
	engine/cli/cmd_proctor.c \
	engine/cli/cmd_serve.c \
	engine/cli/cmd_keys.c \
	engine/cli/cmd_certificate.c \
	engine/cli/cmd_stats.c

# Web server (kaoshi serve) and the pages it serves, compiled in.
HTTP_SRC := \
	engine/http/server.c \
	engine/http/routes.c \
	engine/http/pool.c \
	engine/http/writer.c \
	engine/http/reader.c \
	engine/http/session.c \
	engine/http/limiter.c \
	engine/http/seen.c \
	engine/http/json.c \
	engine/http/api_auth.c \
	engine/http/api_candidate.c \
	engine/http/api_proctor.c \
	engine/http/api_verify.c \
	engine/http/api_report.c \
	engine/http/assets.c

EMBED_WEB := \
	web/index.html \
	web/exam.html \
	web/proctor.html \
	web/verify.html \
	web/app.css \
	web/common.js \
	web/login.js \
	web/exam.js \
	web/verify.js \
	web/proctor.js

UNIT_TESTS := \
	tests/unit/test_error.c \
	tests/unit/test_clock.c \
	tests/unit/test_bank.c \
	tests/unit/test_rng.c \
	tests/unit/test_draw.c \
	tests/unit/test_score.c \
	tests/unit/test_stats.c \
	tests/unit/test_chart.c \
	tests/unit/test_csv.c \
	tests/unit/test_analytics.c \
	tests/unit/test_store.c \
	tests/unit/test_exam.c \
	tests/unit/test_sandbox.c \
	tests/unit/test_simulate.c \
	tests/unit/test_sign.c

# Benchmark programs: bench/NAME.c -> $(BUILD)/bench/NAME, optimised, no
# sanitizers, each linked with the helpers in BENCH_LIB and libkaoshi.a.
BENCH := \
	bench_grading \
	bench_bank \
	bench_analytics \
	bench_saves \
	bench_start \
	bench_memory

BENCH_LIB := \
	bench/bench_http.c \
	bench/bench_site.c \
	bench/bench_util.c

# --- derived -----------------------------------------------------------------
LIB_SRC  := $(CORE_SRC) $(LUA_SRC)
GEN_SRC  := $(if $(EMBED_LUA),$(BUILD)/gen/embedded_lua.c)

FRONT_SRC := $(CLI_SRC) $(HTTP_SRC) $(BUILD)/gen/embedded_web.c

REL_DIR  := $(BUILD)/rel
ASAN_DIR := $(BUILD)/asan

rel_obj  = $(patsubst %.c,$(REL_DIR)/%.o,$(1))
asan_obj = $(patsubst %.c,$(ASAN_DIR)/%.o,$(1))

REL_LIB_OBJ  := $(call rel_obj,$(LIB_SRC) $(GEN_SRC))
ASAN_LIB_OBJ := $(call asan_obj,$(LIB_SRC) $(GEN_SRC))
UNIT_BINS    := $(patsubst tests/unit/%.c,$(ASAN_DIR)/tests/%,$(UNIT_TESTS))

.PHONY: all test bench deps clean demo run
all: $(BUILD)/kaoshi $(BUILD)/libkaoshi.a

$(BUILD)/libkaoshi.a: $(REL_LIB_OBJ)
	@mkdir -p $(@D)
	ar rcs $@ $^

$(BUILD)/kaoshi: $(call rel_obj,$(FRONT_SRC)) $(BUILD)/libkaoshi.a
	$(CC) $(OPT) -o $@ $^ $(LIBS)

$(ASAN_DIR)/kaoshi: $(call asan_obj,$(FRONT_SRC)) $(ASAN_LIB_OBJ)
	$(CC) $(SAN) -g -o $@ $^ $(LIBS)

$(ASAN_DIR)/tests/%: $(ASAN_DIR)/tests/unit/%.o $(ASAN_LIB_OBJ)
	@mkdir -p $(@D)
	$(CC) $(SAN) -g -o $@ $^ $(LIBS)

$(REL_DIR)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) $(OPT) $(INCS) -MMD -MP -c -o $@ $<

$(ASAN_DIR)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O1 -g $(SAN) $(INCS) -MMD -MP -c -o $@ $<

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

test: $(ASAN_DIR)/kaoshi $(UNIT_BINS) node_modules/.package-lock.json
	@KAOSHI=$(ASAN_DIR)/kaoshi UNIT_BINS="$(UNIT_BINS)" tests/run

# The benchmarks: build them and the kaoshi binary, then bench/run runs each.
BENCH_BINS := $(patsubst %,$(BUILD)/bench/%,$(BENCH))

$(BUILD)/bench/%: $(REL_DIR)/bench/%.o $(call rel_obj,$(BENCH_LIB)) $(BUILD)/libkaoshi.a
	@mkdir -p $(@D)
	$(CC) $(OPT) -o $@ $^ $(LIBS)

bench: $(BUILD)/kaoshi $(BENCH_BINS)
	@BUILD=$(BUILD) BENCH="$(BENCH)" bench/run

# The browser tests' npm packages (playwright-core), as package-lock.json pins them.
node_modules/.package-lock.json: package.json package-lock.json
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
