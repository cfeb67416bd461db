# weekly - build, test, benchmark, install.
CC ?= cc
PKGS = libcmark-gfm yaml-0.1
OPT ?= -O2 -g
WFLAGS = -std=c11 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
CPPFLAGS += -Iinclude $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -ldl
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

.PHONY: all deps demo test bench clean install uninstall FORCE
all: weekly

weekly: $(OBJ)
	$(CC) $(OPT) $(LDFLAGS) -o $@ $(OBJ) $(LDLIBS)

$(OBJDIR)/%.o: src/%.c $(wildcard include/weekly/*.h) | $(OBJDIR)
	$(CC) $(OPT) $(WFLAGS) $(CPPFLAGS) -DWEEKLY_VERSION='"$(VERSION)"' \
		-DWEEKLY_DATADIR='"$(DATADIR)"' -c -o $@ $<

# The default templates' folder is compiled in: rebuild when it changes.
$(OBJDIR)/render.o: $(OBJDIR)/datadir.stamp
$(OBJDIR)/datadir.stamp: FORCE | $(OBJDIR)
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' > $@
FORCE:

$(OBJDIR)/tests/%: tests/unit/%.c $(LIBOBJ) $(wildcard include/weekly/*.h) | $(OBJDIR)
	$(CC) $(OPT) $(WFLAGS) $(CPPFLAGS) -o $@ $< $(LIBOBJ) $(LDLIBS)

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

unit-tests: $(TESTBIN)

bench: deps
	@$(MAKE) --no-print-directory weekly unit-tests
	@tests/bench/run

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
	rm -rf $(OBJDIR) weekly
