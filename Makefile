# mxsim - discrete-event simulator of mail flow while MX records change.

# ---- settings ---------------------------------------------------------
PREFIX   ?= /usr/local
DESTDIR  ?=
CC       ?= cc
CFLAGS   ?= -O3 -g -flto=auto -fno-plt
AR       := gcc-ar
WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
WERROR   ?= -Werror
# HAVE_INLINE: GSL's inline gsl_rng_uniform and friends (GSL manual, "Inline functions")
CPPFLAGS += -std=c11 -D_GNU_SOURCE -DHAVE_INLINE -MMD -MP
LDLIBS   := -lgsl -lgslcblas -lcsv -linih -lldns -lpsl -lz -lm
PKGS     := libgsl-dev libcsv-dev libinih-dev libldns-dev libpsl-dev zlib1g-dev libcmocka-dev gnuplot-nox \
            python3 \
            clang-format \
            openmpi-bin libopenmpi-dev
MPICC    ?= mpicc
JOBS     ?= $(shell nproc 2>/dev/null || echo 1)
ifeq ($(SAN),1)
B        := build-san
CFLAGS   += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all -DMXSIM_DEBUG
LDFLAGS  += -fsanitize=address,undefined
else ifeq ($(PLAIN),1)
# the plain reference build: every fast path off (sim/engine.h, SIM_FAST)
B        := build-plain
CPPFLAGS += -DMX_PLAIN
else
B        := build
endif
# ------------------------------------------------------------------------

LIB_SRC   := $(wildcard sim/*.c models/*.c models/scenario/*.c plot/*.c)
CLI_SRC   := $(wildcard cli/*.c)
CLI_OBJ   := $(CLI_SRC:%.c=$(B)/%.o)
MPI_OBJ   := $(CLI_SRC:%.c=$(B)/mpi/%.o)
LIB_OBJ   := $(LIB_SRC:%.c=$(B)/%.o)
TEST_SRC  := $(wildcard tests/test_*.c)
TEST_BIN  := $(TEST_SRC:tests/%.c=$(B)/tests/%)
FUZZ      := scenario values csv results zone maillog
FUZZ_S    ?= 60
REPLAY    := $(FUZZ:%=$(B)/tests/fuzz/replay_%)
ALL_CFLAGS = $(WARN) $(WERROR) $(CFLAGS)

.SECONDARY: $(TEST_SRC:%.c=$(B)/%.o) $(B)/tests/bench/hold.o $(FUZZ:%=$(B)/tests/fuzz/fuzz_%.o) \
  $(B)/tests/fuzz/replay.o $(B)/tests/fuzz/common.o
.PHONY: all deps test test-bins test-run bench demo fuzz format format-check install uninstall clean \
  validate

ifneq ($(SAN)$(PLAIN),)
all: $(B)/mxsim
else
all: $(B)/mxsim $(B)/mxsim-mpi
endif

# Every build needs the Debian packages above: install them as root, or
# name them and stop.
deps: $(B)/.deps
$(B)/.deps:
	@missing=""; for p in $(PKGS); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "mxsim: installing$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -qq --no-install-recommends$$missing >/dev/null || exit 1; \
	  else \
	    echo "mxsim: missing packages:$$missing" >&2; \
	    echo "mxsim: install them with: sudo apt-get install$$missing" >&2; exit 1; \
	  fi; fi
	@mkdir -p $(@D) && touch $@

$(B)/%.o: %.c | $(B)/.deps
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -I$(B) $(ALL_CFLAGS) -c -o $@ $<

# What the manifest records of the build, rewritten (at every make) only
# when it changes, so a new commit rebuilds the program's objects only.
BUILDINFO := \#define MXSIM_COMMIT "$(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"\n\#define MXSIM_INIH "$(shell dpkg-query -W -f='$${Version}' libinih-dev 2>/dev/null || echo unknown)"\n
$(shell mkdir -p $(B) && printf '$(BUILDINFO)' >$(B)/buildinfo.h.new && \
  (cmp -s $(B)/buildinfo.h.new $(B)/buildinfo.h && rm $(B)/buildinfo.h.new || \
   mv $(B)/buildinfo.h.new $(B)/buildinfo.h))

$(B)/libmx.a: $(LIB_OBJ)
	$(AR) rcs $@ $^

$(B)/mxsim: $(CLI_OBJ) $(B)/libmx.a | $(B)/.deps
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The same program farming its jobs over Open MPI ranks (cli/farm.c).
$(B)/mpi/%.o: %.c | $(B)/.deps
	@mkdir -p $(@D)
	$(MPICC) $(CPPFLAGS) -DMXSIM_MPI -I$(B) $(ALL_CFLAGS) -c -o $@ $<

$(B)/mxsim-mpi: $(MPI_OBJ) $(B)/libmx.a | $(B)/.deps
	$(MPICC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/tests/%: $(B)/tests/%.o $(B)/libmx.a | $(B)/.deps
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ -lcmocka $(LDLIBS)

# The fuzz corpus replayed in the plain build (no libFuzzer needed).
$(B)/tests/fuzz/replay_%: $(B)/tests/fuzz/fuzz_%.o $(B)/tests/fuzz/replay.o $(B)/tests/fuzz/common.o \
  $(B)/libmx.a | $(B)/.deps
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/tests/bench/hold: $(B)/tests/bench/hold.o $(B)/libmx.a | $(B)/.deps
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The sources as .clang-format wants them (checked by make test).
FORMATTED = $(filter-out tests/fuzz/corpus/%,$(shell git ls-files '*.c' '*.h' 2>/dev/null || \
  find sim models cli plot tests -name '*.[ch]'))
format: $(B)/.deps
	clang-format -i $(FORMATTED)
format-check: $(B)/.deps
	@bad=$$(for f in $(FORMATTED); do clang-format $$f | cmp -s - $$f || echo $$f; done); \
	if [ -n "$$bad" ]; then echo "mxsim: not formatted (run make format):" $$bad >&2; exit 1; fi; \
	echo "format-check: 1 passed, 0 failed"

# The suite runs, and alongside it (the two cores each run one) the suite
# again under AddressSanitizer and UBSan, its output kept until the end;
# then the plain reference build must run the bundled scenarios to the
# same bytes and event fingerprints (tests/plain.sh).
SAN_LOG := build-san/test-run.log
test: format-check
ifeq ($(SAN),1)
	$(MAKE) --no-print-directory test-run
else
	$(MAKE) --no-print-directory -j$(JOBS) test-bins
	$(MAKE) --no-print-directory -j$(JOBS) SAN=1 test-bins
	$(MAKE) --no-print-directory -j$(JOBS) PLAIN=1 all
	@echo "mxsim: the sanitizer pass runs alongside; its output follows at the end ($(SAN_LOG))"
	@($(MAKE) --no-print-directory SAN=1 test-run >$(SAN_LOG) 2>&1; echo $$? >$(SAN_LOG).rc) & \
	  $(MAKE) --no-print-directory test-run; rc=$$?; wait; \
	  echo "--- the sanitizer pass ($(SAN_LOG)):"; cat $(SAN_LOG); \
	  [ $$rc = 0 ] && [ "$$(cat $(SAN_LOG).rc)" = 0 ] || { echo "mxsim: make test failed" >&2; exit 1; }
	tests/plain.sh $(B)/mxsim build-plain/mxsim
endif

test-bins: $(TEST_BIN) $(REPLAY) all

test-run: test-bins
	@set -e; for t in $(TEST_BIN); do $$t; done; \
	  for f in $(FUZZ); do $(B)/tests/fuzz/replay_$$f tests/fuzz/corpus/$$f/* 2>/dev/null; done; \
	  MXSIM_QUICK=$(SAN) tests/cli.sh $(B)/mxsim; MXSIM_QUICK=$(SAN) tests/security.sh $(B)/mxsim; \
	  if [ "$(SAN)" != 1 ]; then tests/extend.sh; tests/mpi.sh $(B); tests/slurm.sh $(B); fi

# libFuzzer with ASan and UBSan (clang), FUZZ_S seconds per target; new
# inputs go to build-fuzz/corpus/, findings to build-fuzz/.
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
  -fno-sanitize-recover=all
fuzz: $(B)/.deps
	@command -v clang >/dev/null || { echo "mxsim: make fuzz needs clang (apt-get install clang)" >&2; exit 1; }
	@mkdir -p build-fuzz
	@set -e; for f in $(FUZZ); do \
	  clang $(FUZZ_CFLAGS) -o build-fuzz/fuzz_$$f tests/fuzz/fuzz_$$f.c tests/fuzz/common.c \
	    $(LIB_SRC) $(LDLIBS); \
	  mkdir -p build-fuzz/corpus/$$f; \
	  if (cd build-fuzz && ./fuzz_$$f -max_total_time=$(FUZZ_S) -rss_limit_mb=2048 -timeout=10 \
	      -print_final_stats=1 corpus/$$f ../tests/fuzz/corpus/$$f >fuzz_$$f.log 2>&1); then \
	    echo "fuzz_$$f: $$(grep -E '^(Done|stat::new_units)' build-fuzz/fuzz_$$f.log | tr '\n' ' ')"; \
	  else tail -40 build-fuzz/fuzz_$$f.log; \
	    echo "mxsim: fuzz_$$f found a problem: build-fuzz/fuzz_$$f.log" >&2; exit 1; fi; done

bench: $(B)/tests/bench/hold $(B)/mxsim $(B)/mxsim-mpi
	@printf '%-10s %14s %14s %7s %14s %7s\n' pending engine/s binary-heap/s ratio \
	  4-ary-heap/s ratio
	@for n in 1000 10000 100000 1000000; do \
	  $(B)/tests/bench/hold --pending $$n --holds 5000000 --rounds 5 | awk -v n=$$n -F= \
	    '/^baseline_/{b=$$2} /^ratio=/{r=$$2} /^baseline4_/{b4=$$2} /^ratio4=/{r4=$$2} \
	     /^holds_per_sec/{e=$$2} \
	     END{printf "%-10s %14s %14s %7s %14s %7s (target 2)\n", n, e, b, r, b4, r4}'; done
	@echo
	@tests/bench/provider.sh $(B)/mxsim
	@tests/bench/plan.sh $(B)/mxsim
	@tests/bench/fit.sh $(B)/mxsim

# The model against real mail software (tests/validation/): as root,
# installs the testbed's Debian packages without starting their daemons (a
# policy-rc.d of its own, only where none exists, removed after), then
# runs every case in private namespaces; without root it says so and exits
# 77 (skipped).
VALIDATE_PKGS := nsd unbound postfix nftables python3-aiosmtpd iproute2
validate: $(B)/mxsim
	@if [ "$$(id -u)" != 0 ]; then \
	  echo "make validate: needs root (namespaces, nftables, bind mounts): skipped"; exit 77; fi
	@missing=""; for p in $(VALIDATE_PKGS); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "make validate: installing$$missing (their daemons are not started)"; \
	  own=""; [ -e /usr/sbin/policy-rc.d ] || { own=1; printf '#!/bin/sh\nexit 101\n' \
	    >/usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; }; \
	  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq --no-install-recommends$$missing >/dev/null; rc=$$?; \
	  [ -z "$$own" ] || rm -f /usr/sbin/policy-rc.d; [ $$rc = 0 ] || exit 1; fi
	tests/validation/run $(B)/mxsim results/validation

demo: $(B)/mxsim
	$(B)/mxsim run -j $(JOBS) -o results scenarios/*.ini
	$(B)/mxsim plot results
	@echo "mxsim: open results/index.html"

# The scenario reference, from the schema the program parses with.
# (@PREFIX@ is filled in at install, so a new PREFIX never meets a stale page.)
$(B)/mxsim-scenario.5: cli/mxsim-scenario.5.in $(B)/mxsim
	{ cat cli/mxsim-scenario.5.in; $(B)/mxsim help keys --man; \
	  printf '.SH FILES\n@PREFIX@/share/mxsim/examples/*.ini\n.SH SEE ALSO\n.BR mxsim (1)\n'; } >$@

install: $(B)/mxsim $(B)/mxsim-mpi $(B)/mxsim-scenario.5
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/man/man5 $(DESTDIR)$(PREFIX)/share/mxsim/plot \
	  $(DESTDIR)$(PREFIX)/share/mxsim/examples $(DESTDIR)$(PREFIX)/share/bash-completion/completions \
	  $(DESTDIR)$(PREFIX)/share/doc/mxsim
	install -m 755 $(B)/mxsim $(DESTDIR)$(PREFIX)/bin/mxsim
	install -m 755 $(B)/mxsim-mpi $(DESTDIR)$(PREFIX)/bin/mxsim-mpi
	sed 's|@PREFIX@|$(PREFIX)|g' mxsim.1 >$(DESTDIR)$(PREFIX)/share/man/man1/mxsim.1
	sed 's|@PREFIX@|$(PREFIX)|g' $(B)/mxsim-scenario.5 >$(DESTDIR)$(PREFIX)/share/man/man5/mxsim-scenario.5
	install -m 644 README.md $(DESTDIR)$(PREFIX)/share/doc/mxsim/README.md
	install -m 644 models/README.md $(DESTDIR)$(PREFIX)/share/doc/mxsim/models.md
	install -m 644 plot/*.gp $(DESTDIR)$(PREFIX)/share/mxsim/plot
	install -m 644 scenarios/*.ini $(DESTDIR)$(PREFIX)/share/mxsim/examples
	install -m 644 cli/mxsim.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/mxsim

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/mxsim $(DESTDIR)$(PREFIX)/bin/mxsim-mpi \
	  $(DESTDIR)$(PREFIX)/share/man/man1/mxsim.1 \
	  $(DESTDIR)$(PREFIX)/share/man/man5/mxsim-scenario.5 \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions/mxsim
	rm -rf $(DESTDIR)$(PREFIX)/share/mxsim $(DESTDIR)$(PREFIX)/share/doc/mxsim

clean:
	rm -rf build build-san build-plain build-fuzz

-include $(shell find build build-san build-plain -path build/exim -prune -o -name '*.d' -type f -print 2>/dev/null)
