# weekly - build, test, benchmark, install.
CC ?= cc
PKGS = libcmark-gfm yaml-0.1
OPT ?= -O2 -g
WFLAGS = -std=c11 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
# libcurl and libxml2 are loaded at run time (dlopen): only their headers.
CPPFLAGS += -Iinclude $(shell pkg-config --cflags $(PKGS) libxml-2.0 2>/dev/null)
LDLIBS += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -ldl -lm -pthread
OBJDIR ?= .obj
VERSION = 0.1.0
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/weekly
MANDIR ?= $(PREFIX)/share/man
COMPDIR ?= $(PREFIX)/share/bash-completion/completions

SRC = $(wildcard src/*.c)
OBJ = $(SRC:src/%.c=$(OBJDIR)/%.o)
LIBOBJ = $(filter-out $(OBJDIR)/main.o $(OBJDIR)/cmd_%.o,$(OBJ))
TESTSRC = $(wildcard tests/unit/*.c)
TESTBIN = $(TESTSRC:tests/unit/%.c=$(OBJDIR)/tests/%)
# Fuzz targets: built with replay.c they replay inputs (make test), with
# FUZZ_MAIN= FUZZ_LINK=-fsanitize=fuzzer they fuzz (make fuzz).
FUZZSRC = $(wildcard tests/fuzz/fuzz_*.c)
FUZZBIN = $(FUZZSRC:tests/fuzz/%.c=$(OBJDIR)/fuzz/%)
FUZZ_MAIN ?= tests/fuzz/replay.c
FUZZ_SECONDS ?= 60
# The feed's target reads what it writes with libxml2.
$(OBJDIR)/fuzz/fuzz_feed: CPPFLAGS += $(shell pkg-config --cflags libxml-2.0 2>/dev/null)
$(OBJDIR)/fuzz/fuzz_feed: LDLIBS += $(shell pkg-config --libs libxml-2.0 2>/dev/null)
SAN_OPT = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
SAN_PKGS = clang libclang-rt-14-dev

.PHONY: all static deps demo test check fuzz fuzz-targets browser-test screenshots bench bench-links bench-serve bench-hostile clean install uninstall FORCE
all: weekly

weekly: $(OBJ)
	$(CC) $(OPT) $(LDFLAGS) -o $@ $(OBJ) $(LDLIBS)

# ./weekly with cmark-gfm and libyaml linked in from their static archives
# (Debian's -dev packages ship them): no relocations of those libraries at
# each start, which a one-issue command feels.
STATIC_LIBS = -Wl,-Bstatic -lcmark-gfm-extensions -lcmark-gfm -lyaml -Wl,-Bdynamic -ldl -pthread
static: $(OBJ)
	$(CC) $(OPT) $(LDFLAGS) -o weekly $(OBJ) $(STATIC_LIBS)

$(OBJDIR)/%.o: src/%.c $(wildcard include/weekly/*.h src/*.h) | $(OBJDIR)
	$(CC) $(OPT) $(WFLAGS) $(CPPFLAGS) -DWEEKLY_VERSION='"$(VERSION)"' \
		-DWEEKLY_DATADIR='"$(DATADIR)"' -c -o $@ $<

# The default templates' folder is compiled in: rebuild when it changes.
$(OBJDIR)/render.o: $(OBJDIR)/datadir.stamp
$(OBJDIR)/datadir.stamp: FORCE | $(OBJDIR)
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' > $@
FORCE:

# The scripts pages load are compiled in: src/NAME.js as the C string
# NAME_js of OBJDIR/NAME_js.h, for the module that serves or writes it.
$(OBJDIR)/search.o: $(OBJDIR)/search_js.h
$(OBJDIR)/httpd.o: $(OBJDIR)/live_js.h
$(OBJDIR)/search.o $(OBJDIR)/httpd.o: CPPFLAGS += -I$(OBJDIR)
$(OBJDIR)/%_js.h: src/%.js | $(OBJDIR)
	{ echo 'static const char $*_js[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $<; echo ';'; } > $@

$(OBJDIR)/tests/%: tests/unit/%.c $(LIBOBJ) $(wildcard include/weekly/*.h tests/unit/*.h) | $(OBJDIR)
	$(CC) $(OPT) $(WFLAGS) $(CPPFLAGS) -DWEEKLY_VERSION='"$(VERSION)"' -o $@ $< $(LIBOBJ) $(LDLIBS)

$(OBJDIR)/fuzz/%: tests/fuzz/%.c tests/fuzz/harness.c tests/fuzz/harness.h $(FUZZ_MAIN) \
		$(LIBOBJ) $(wildcard include/weekly/*.h) | $(OBJDIR)
	@mkdir -p $(@D)
	$(CC) $(OPT) $(FUZZ_LINK) $(WFLAGS) $(CPPFLAGS) -DFUZZ_ROOT='"$(CURDIR)"' -o $@ \
		$< tests/fuzz/harness.c $(FUZZ_MAIN) $(LIBOBJ) $(LDLIBS)

# The same program as ./weekly, for builds in another OBJDIR (sanitizers).
$(OBJDIR)/weekly: $(OBJ)
	$(CC) $(OPT) $(LDFLAGS) -o $@ $(OBJ) $(LDLIBS)

$(OBJDIR):
	mkdir -p $(OBJDIR)/tests

deps:
	@.ci/deps

demo: deps
	@$(MAKE) --no-print-directory weekly
	./weekly build 15
	@echo "outputs: build/015.md and build/015.html"

test: deps
	@$(MAKE) --no-print-directory weekly unit-tests
	@tests/run

unit-tests: $(TESTBIN) $(FUZZBIN)

# The suite, then the suite again under AddressSanitizer and
# UndefinedBehaviorSanitizer, the golden tests under valgrind, and a browser.
# chromium comes first, so that the suite's own browser parts run too.
check:
	@WEEKLY_EXTRA_PKGS="valgrind $(SAN_PKGS) chromium $$WEEKLY_EXTRA_PKGS" .ci/deps
	@$(MAKE) --no-print-directory test
	@$(MAKE) --no-print-directory CC=clang OBJDIR=.obj-asan OPT="$(SAN_OPT)" \
		.obj-asan/weekly unit-tests
	@tests/sanitize .obj-asan
	@$(MAKE) --no-print-directory browser-test

# Each fuzz target for FUZZ_SECONDS; findings land in build/fuzz/.
fuzz:
	@WEEKLY_EXTRA_PKGS="$(SAN_PKGS) $$WEEKLY_EXTRA_PKGS" .ci/deps
	@$(MAKE) --no-print-directory CC=clang OBJDIR=.obj-fuzz FUZZ_MAIN= \
		FUZZ_LINK=-fsanitize=fuzzer OPT="$(SAN_OPT) -fsanitize=fuzzer-no-link" fuzz-targets
	@tests/fuzz/run .obj-fuzz/fuzz $(FUZZ_SECONDS)

fuzz-targets: $(FUZZBIN)

# The archive's pages under Lighthouse and axe-core (tests/browser/pages);
# build/015.html in headless chromium at 390 and 1280 px, and the email
# format of every test issue at 320, 390 and 600 px, and weekly serve live in
# chromium (each skips without it).
browser-test: deps
	@WEEKLY_EXTRA_PKGS="chromium $$WEEKLY_EXTRA_PKGS" .ci/deps
	@$(MAKE) --no-print-directory weekly
	@tests/browser/pages
	@tests/browser/run
	@tests/browser/email
	@tests/serve.sh

# Screenshots of each page kind at 390 and 1280 px, light and dark, into
# docs/screenshots/ (tests/browser/pages --shots).
screenshots: deps
	@WEEKLY_EXTRA_PKGS="chromium $$WEEKLY_EXTRA_PKGS" .ci/deps
	@$(MAKE) --no-print-directory weekly
	@tests/browser/pages --shots docs/screenshots

bench: deps
	@$(MAKE) --no-print-directory weekly unit-tests
	@tests/bench/run

# Every command over inputs shaped to cost the most, against the budget.
bench-hostile: deps
	@$(MAKE) --no-print-directory weekly
	@bash tests/bench/hostile.sh

bench-links: deps
	@$(MAKE) --no-print-directory weekly
	@bash tests/bench/links.sh

# weekly serve: from a save to the page's reload event in chromium, 1,000 issues.
bench-serve: deps
	@$(MAKE) --no-print-directory weekly
	@WEEKLY_EXTRA_PKGS=chromium .ci/deps
	@/usr/bin/python3 tests/bench/serve.py

install: weekly
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/templates/partials \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(COMPDIR)
	install -m 755 weekly $(DESTDIR)$(BINDIR)/weekly
	install -m 644 templates/*.mustache $(DESTDIR)$(DATADIR)/templates/
	install -m 644 templates/partials/*.mustache $(DESTDIR)$(DATADIR)/templates/partials/
	install -m 644 src/weekly.1 $(DESTDIR)$(MANDIR)/man1/weekly.1
	install -m 644 src/weekly.bash $(DESTDIR)$(COMPDIR)/weekly

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/weekly $(DESTDIR)$(MANDIR)/man1/weekly.1 \
		$(DESTDIR)$(COMPDIR)/weekly
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf $(OBJDIR) .obj-asan .obj-fuzz weekly
