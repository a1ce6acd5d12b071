# ktrail - one Makefile (GNU make).
#
#   make            build ./ktrail (objects under build/)
#   make check      install missing packages, build, run every test (and
#                   once more under ASan+UBSan); ends with "N passed, ..."
#   make demo       install, build, record the bundled demo incident
#   make bench      benchmarks in tests/bench/ (long, prints figures)
#   make truth      the ground-truth scenarios of tests/truth, 5 runs quiet
#                   and 5 beside a CPU hog: right/wrong, confidence table
#   make corpus     re-record every scenario of corpus/scenarios/ (root;
#                   the goldens that read them must then be regenerated)
#   make fuzz       libFuzzer campaigns, FUZZ_SECS=N seconds on each target
#                   (FUZZ_TARGETS="reader meta", FUZZ_JOBS=N; tests/fuzz/)
#   make install    copy ktrail to $(PREFIX)/bin and its man pages, made
#                   from the --help texts, to $(MANDIR)/man1
#   make deps       apt-get install the Debian packages that are missing
#
# V=1 shows full commands.  SAN=1 builds with ASan+UBSan into build/asan.
# WERROR= keeps warnings from failing the build (tests/mutate plants bugs
# that leave unused code behind).
# VMLINUX_H=path uses that header instead of generating one from
# /sys/kernel/btf/vmlinux.

.DELETE_ON_ERROR:
.SECONDARY:
.SUFFIXES:

PREFIX ?= /usr/local
CC ?= gcc
CLANG ?= clang
BPFTOOL ?= bpftool
ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')

ifeq ($(SAN),1)
BUILD := build/asan
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
	    -fno-sanitize-recover=undefined
BIN := $(BUILD)/ktrail
else
BUILD := build
SANFLAGS :=
BIN := ktrail
endif
BPFOUT := build/bpf
GEN := build/gen

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

CFLAGS ?= -O2 -g
WERROR ?= -Werror
KT_CFLAGS := -std=gnu11 -Wall -Wextra $(WERROR) -D_GNU_SOURCE $(SANFLAGS) \
	     -I. -I$(BPFOUT) -I$(GEN) -MMD -MP \
	     $(shell pkg-config --cflags libgvc cairo fontconfig jansson 2>/dev/null)
LDLIBS := -lbpf -lelf -lz -lzstd -ljansson -lsqlite3 -lpcap \
	  $(shell pkg-config --libs libgvc 2>/dev/null || echo -lgvc -lcgraph) \
	  -lcairo -lfontconfig -lm -lpthread
LDFLAGS += $(SANFLAGS)

# Module sources: every .c in the library folders.  Tests and tools link
# the libraries alone; the command line (ktrail.c and cli/) goes only into
# the binary.
MODULES := format record analyze render
LIB_SRCS := $(sort $(foreach m,$(MODULES),$(wildcard $(m)/*.c)))
LIB_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRCS))
CLI_SRCS := ktrail.c $(sort $(wildcard cli/*.c))
MAIN_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(CLI_SRCS))

BPF_SRCS := $(wildcard bpf/*.bpf.c)
SKELS := $(patsubst bpf/%.bpf.c,$(BPFOUT)/%.skel.h,$(BPF_SRCS))
GEN_HDRS := $(GEN)/syscalls.h $(GEN)/errnos.h

UNIT_SRCS := $(wildcard tests/unit/*.c)
UNIT_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(UNIT_SRCS))
TOOL_SRCS := $(wildcard tests/tool/*.c)
TOOL_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(TOOL_SRCS))
# tests/fuzz: one target per file but the replay driver and the helper
# that writes small captures (mini.c); their corpora in tests/fuzz/corpus/NAME
FUZZ_HELPERS := tests/fuzz/driver.c tests/fuzz/mini.c
FUZZ_SRCS := $(filter-out $(FUZZ_HELPERS),$(wildcard tests/fuzz/*.c))
FUZZ_NAMES := $(patsubst tests/fuzz/%.c,%,$(FUZZ_SRCS))

.PHONY: all check demo bench fuzz install man clean deps test-bins truth corpus
all: $(BIN)

$(BIN): $(MAIN_OBJ) $(LIB_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/obj/%.o: %.c | $(SKELS) $(GEN_HDRS)
	$(call msg,CC,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(KT_CFLAGS) -c $< -o $@

# --- generated headers -----------------------------------------------------
$(BPFOUT) $(GEN):
	@mkdir -p $@

ifdef VMLINUX_H
$(BPFOUT)/vmlinux.h: $(VMLINUX_H) | $(BPFOUT)
	$(Q)cp $< $@
else
$(BPFOUT)/vmlinux.h: | $(BPFOUT)
	$(call msg,GEN,$@)
	$(Q)$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $@
endif

$(BPFOUT)/%.bpf.o: bpf/%.bpf.c $(BPFOUT)/vmlinux.h | $(BPFOUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -D__KT_BPF__ \
		-I$(BPFOUT) -I. -MMD -MP -c $< -o $@

$(BPFOUT)/%.skel.h: $(BPFOUT)/%.bpf.o
	$(call msg,GENSKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $*_bpf > $@

# System call names and numbers for this architecture, from the kernel
# headers that linux-libc-dev installs.
UNISTD_H := $(firstword $(wildcard /usr/include/$(shell uname -m)-linux-gnu/asm/unistd_64.h /usr/include/asm/unistd_64.h))
$(GEN)/syscalls.h: $(UNISTD_H) | $(GEN)
	$(call msg,GEN,$@)
	$(Q)awk '/^#define __NR_[a-z0-9_]+ [0-9]+$$/ { sub("__NR_", "", $$2); \
		printf "\t[%d] = \"%s\",\n", $$3, $$2 }' $< > $@

# errno names and descriptions, from the same headers: lines
# `[nr] = { "ENAME", "description" },` (aliases such as EWOULDBLOCK skipped).
ERRNO_HS := $(wildcard /usr/include/asm-generic/errno-base.h /usr/include/asm-generic/errno.h)
$(GEN)/errnos.h: $(ERRNO_HS) | $(GEN)
	$(call msg,GEN,$@)
	$(Q)awk '/^#define[ \t]+E[A-Z0-9]+[ \t]+[0-9]+/ { d = $$0; \
		if (!sub(/.*\/\*[ \t]*/, "", d)) d = ""; sub(/[ \t]*\*\/.*/, "", d); \
		printf "\t[%d] = { \"%s\", \"%s\" },\n", $$3, $$2, d }' $^ > $@

# --- tests -----------------------------------------------------------------
test-bins: $(BIN) $(BUILD)/test-unit $(BUILD)/kt-test-tool $(BUILD)/fuzz-replay \
	   $(BUILD)/kt-truth-exec

# The unit tests also link cli/cli.o (the exit status mapping and the
# message shape), no command.
$(BUILD)/test-unit: $(UNIT_OBJS) $(LIB_OBJS) $(BUILD)/obj/cli/cli.o
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/kt-test-tool: $(TOOL_OBJS) $(LIB_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The static binary of truth scenario 3 (exec from bash): no loader, no
# sanitizers, none of the libraries.
$(BUILD)/kt-truth-exec: tests/truth/exec_static.c
	$(call msg,LINK,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) -static -O2 -std=gnu11 -Wall -Wextra -Werror -o $@ $<

# The fuzz targets, all linked with a plain main() that replays each
# corpus/NAME through target NAME.
$(BUILD)/fuzz-replay: $(patsubst %.c,$(BUILD)/obj/%.o,$(FUZZ_HELPERS) $(FUZZ_SRCS)) $(LIB_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

check: deps
	$(Q)$(MAKE) --no-print-directory test-bins
	$(Q)$(MAKE) --no-print-directory SAN=1 test-bins
	$(Q)tests/run.sh

# --- fuzzing (clang + libFuzzer) ------------------------------------------
# `make fuzz` builds build/fuzz/fuzz-NAME for every target and runs a
# campaign of FUZZ_SECS seconds on each of FUZZ_TARGETS (default: all),
# FUZZ_JOBS processes each, under nice (tests/fuzz/campaign.sh).
FUZZ_SECS ?= 600
FUZZ_JOBS ?= 1
FUZZ_TARGETS ?= $(FUZZ_NAMES)
FUZZ_BUILD := build/fuzz
FUZZ_CFLAGS := -std=gnu11 -D_GNU_SOURCE -O1 -g -I. -I$(GEN) \
	       -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION \
	       -fsanitize=fuzzer-no-link,address,undefined \
	       -fno-sanitize-recover=undefined \
	       $(shell pkg-config --cflags jansson 2>/dev/null)
FUZZ_LIB_SRCS := $(sort $(wildcard format/*.c analyze/*.c)) tests/fuzz/mini.c
FUZZ_LIB_OBJS := $(patsubst %.c,$(FUZZ_BUILD)/obj/%.o,$(FUZZ_LIB_SRCS))

$(FUZZ_BUILD)/obj/%.o: %.c | $(GEN_HDRS)
	$(call msg,FUZZCC,$@)
	@mkdir -p $(@D)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@

$(FUZZ_BUILD)/fuzz-%: $(FUZZ_BUILD)/obj/tests/fuzz/%.o $(FUZZ_LIB_OBJS)
	$(call msg,FUZZ,$@)
	$(Q)$(CLANG) -fsanitize=fuzzer,address,undefined -o $@ $^ \
		-lzstd -lz -ljansson -lm

fuzz: deps
	$(Q)$(MAKE) --no-print-directory $(patsubst %,$(FUZZ_BUILD)/fuzz-%,$(FUZZ_TARGETS))
	$(Q)nice -n 10 tests/fuzz/campaign.sh $(FUZZ_SECS) $(FUZZ_JOBS) $(FUZZ_TARGETS)

-include $(wildcard $(FUZZ_BUILD)/obj/*/*.d $(FUZZ_BUILD)/obj/*/*/*.d)

# --- the rest ----------------------------------------------------------------
demo: deps
	$(Q)$(MAKE) --no-print-directory all $(BUILD)/kt-test-tool
	$(Q)tests/demo/run.sh

truth: deps
	$(Q)$(MAKE) --no-print-directory test-bins
	$(Q)tests/truth/run.sh

bench: deps
	$(Q)$(MAKE) --no-print-directory test-bins
	$(Q)for b in tests/bench/*.sh; do echo "== $$b"; bash $$b || exit 1; done
	$(Q)echo "== make truth"; tests/truth/run.sh

# Every scenario script of corpus/scenarios (truth.sh for the truth
# scenarios): the fixed captures the goldens read, recorded again.  net_fail
# needs nft (nftables) for its firewall rule.
corpus: deps
	$(Q)tests/deps.sh nftables
	$(Q)$(MAKE) --no-print-directory test-bins
	$(Q)[ "$$(id -u)" = 0 ] || { echo "make corpus: record as root" >&2; exit 2; }
	$(Q)for s in corpus/scenarios/*.sh; do \
		echo "== $$s"; bash $$s || exit 1; \
	done
	$(Q)echo "corpus re-recorded: regenerate the goldens that read it" \
		"(UPDATE=1 tests/cli/run.sh), and read the diff"

# man pages: ktrail.1 and ktrail-COMMAND.1, generated from the --help text
# of the binary just built (mk/man.sh), so the two never disagree
MANDIR ?= $(PREFIX)/share/man
man: $(BIN) mk/man.sh mk/help2roff.awk
	$(call msg,MAN,$(BUILD)/man)
	$(Q)mk/man.sh ./$(BIN) $(BUILD)/man

install: $(BIN) man
	install -D -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/ktrail
	install -d $(DESTDIR)$(MANDIR)/man1
	install -m 0644 $(BUILD)/man/*.1 $(DESTDIR)$(MANDIR)/man1/

clean:
	rm -rf build ktrail

deps:
	$(Q)tests/deps.sh

-include $(shell find $(BUILD)/obj $(BPFOUT) -name '*.d' 2>/dev/null)
