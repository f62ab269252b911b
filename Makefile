# RetroVue/C — build, test, install.  See README.md.
#
#   make            build librv.a and every program into $(B)/
#   make check      install missing Debian packages, build, run every test
#   make fuzz       build the libFuzzer targets with clang and run each
#   make soak       the full soak: 13 channels x SOAK_HOURS (24) of channel time
#   make install    PREFIX=/usr/local DESTDIR= [SYSTEMD=1]
#   make player     fetch hls.js (npm) for the guide page's player
#   make demo       the quick start

VERSION   = 0.1.0
PREFIX   ?= /usr/local
BINDIR    = $(PREFIX)/bin
MANDIR    = $(PREFIX)/share/man
SHAREDIR  = $(PREFIX)/share/retrovue
UNITDIR  ?= /etc/systemd/system
UNITS     = $(sort $(wildcard contrib/systemd/*))
DESTDIR  ?=
B        ?= build

CC       ?= cc
PKGS      = libavformat libavcodec libavfilter libswscale libswresample \
            libavutil yaml-0.1 sqlite3 jansson libmicrohttpd libbsd-overlay
# Recursive (=) on purpose: pkg-config runs only when a rule needs it, so
# that `make check` can install the packages before anything asks for them.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS)) -lm -lpthread
CMOCKA_LIBS = $(shell pkg-config --libs cmocka)

# make check builds with WERROR=1: a warning fails the check.
WARN      = -Wall -Wextra $(if $(WERROR),-Werror)
CFLAGS   ?= -O2 -g
SANITIZE  = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
SANFLAGS  = $(if $(SAN),$(SANITIZE))
ALL_CFLAGS = -std=c11 $(WARN) $(CFLAGS) $(SANFLAGS) -D_GNU_SOURCE \
             -DRV_VERSION='"$(VERSION)"' -Ilib $(PKG_CFLAGS)
ALL_LDFLAGS = $(LDFLAGS) $(SANFLAGS)

LIB_SRC   = $(sort $(wildcard lib/*.c lib/*/*.c))
LIB_OBJ   = $(LIB_SRC:%.c=$(B)/obj/%.o)
CMD_SRC   = $(sort $(wildcard cmd/rv-*.c))
PROGS     = $(CMD_SRC:cmd/%.c=$(B)/bin/%)
SCRIPTS   = $(sort $(wildcard cmd/rv-*.sh))
SCRIPT_BINS = $(SCRIPTS:cmd/%.sh=$(B)/bin/%)
UNIT_SRC  = $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS = $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
FUZZ_SRC  = $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SECONDS ?= 60
MAN_PAGES = $(sort $(wildcard man/*.[1-8]))

.PHONY: all unit check check-unit deps fuzz soak install uninstall clean demo lint player

all: $(B)/librv.a $(PROGS) $(SCRIPT_BINS)

$(B)/obj/%.o: %.c $(wildcard lib/*.h lib/*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/librv.a: $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $(LIB_OBJ)

$(B)/bin/%: $(B)/obj/cmd/%.o $(B)/librv.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(B)/librv.a $(PKG_LIBS)

$(B)/bin/%: cmd/%.sh
	@mkdir -p $(dir $@)
	sed 's/@VERSION@/$(VERSION)/g' $< > $@.tmp && chmod +x $@.tmp && mv $@.tmp $@

$(B)/tests/%: $(B)/obj/tests/unit/%.o $(B)/librv.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(B)/librv.a $(PKG_LIBS) $(CMOCKA_LIBS)

unit: $(UNIT_BINS)

deps:
	@sh scripts/deps

# The README's test command.  Everything is built from scratch in the
# sub-makes so that the packages `deps` installs are seen by pkg-config;
# JOBS (one per CPU) compile at once.
JOBS ?= $(shell nproc 2>/dev/null || echo 1)
check: deps
	$(MAKE) -j$(JOBS) WERROR=1 all unit
	$(MAKE) -j$(JOBS) WERROR=1 B=$(B)/asan SAN=1 all unit
	$(MAKE) -j$(JOBS) WERROR=1 fuzz-build
	sh tests/run.sh $(B) $(B)/asan

# libFuzzer targets: the library is rebuilt with clang and instrumented.
FUZZ_B = $(B)/fuzz
fuzz-build: $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_B)/%)

$(FUZZ_B)/librv.a: $(LIB_SRC)
	$(MAKE) B=$(FUZZ_B) CC=clang WERROR=$(WERROR) CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined" $(FUZZ_B)/librv.a

$(FUZZ_B)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_B)/librv.a
	clang -std=c11 $(WARN) -O1 -g -D_GNU_SOURCE -Ilib $(PKG_CFLAGS) \
	    -fsanitize=fuzzer,address,undefined -o $@ $< $(FUZZ_B)/librv.a $(PKG_LIBS)

fuzz: deps fuzz-build
	sh tests/fuzz/run.sh $(FUZZ_B) $(FUZZ_SECONDS)

# bench/soak.sh: every reference channel rendered SOAK_HOURS of channel
# time on the fast clock, reconciled, memory sampled (about 2 hours on two
# cores for the full 24).
soak: deps
	sh bench/soak.sh

lint:
	mandoc -Tlint -Wwarning $(MAN_PAGES)
	shellcheck -S warning scripts/* tests/*.sh tests/integration/*.sh tests/fuzz/*.sh .ci/run $(SCRIPTS)

# rv-serve looks for it at ../share/retrovue/ from its own folder, in the
# build tree as installed.
PLAYER = $(B)/share/retrovue/hls.min.js
player: $(PLAYER)
$(PLAYER):
	sh scripts/hlsjs $@

install: all
	install -d $(DESTDIR)$(BINDIR)
	install -m 755 $(PROGS) $(SCRIPT_BINS) $(DESTDIR)$(BINDIR)
	for p in $(MAN_PAGES); do \
	    s=$${p##*.}; install -d $(DESTDIR)$(MANDIR)/man$$s; \
	    install -m 644 $$p $(DESTDIR)$(MANDIR)/man$$s/; \
	done
	if [ -f $(PLAYER) ]; then install -d $(DESTDIR)$(SHAREDIR); \
	    install -m 644 $(PLAYER) $(DESTDIR)$(SHAREDIR)/; fi
	# SYSTEMD=1: the units, pointing at BINDIR, and the retrovue user.
	if [ -n "$(SYSTEMD)" ]; then install -d $(DESTDIR)$(UNITDIR); \
	    for u in $(UNITS); do sed 's#/usr/local/bin/#$(BINDIR)/#' $$u \
	        >$(DESTDIR)$(UNITDIR)/$${u##*/}; done; \
	    if [ -z "$(DESTDIR)" ] && ! id retrovue >/dev/null 2>&1; then \
	        useradd --system --home-dir /var/lib/retrovue \
	            --shell /usr/sbin/nologin retrovue; fi; fi

uninstall:
	for p in $(PROGS) $(SCRIPT_BINS); do rm -f $(DESTDIR)$(BINDIR)/$${p##*/}; done
	for p in $(MAN_PAGES); do s=$${p##*.}; rm -f $(DESTDIR)$(MANDIR)/man$$s/$${p##*/}; done
	rm -f $(DESTDIR)$(SHAREDIR)/hls.min.js
	for u in $(UNITS); do rm -f $(DESTDIR)$(UNITDIR)/$${u##*/}; done

# The quick start: a demo library, three channels, rv-serve until Ctrl-C.
demo: deps
	$(MAKE) all
	sh scripts/demo $(B)

clean:
	rm -rf $(B)
