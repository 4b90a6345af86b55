# perfleak - find memory leaks in Windows Performance Monitor logs.
#
#   make          build ./perfleak (needs the packages below)
#   make demo     install missing packages, build, analyse the bundled samples
#   make check    install missing packages, build, run every test
#   make test T=test_detect [ONLY='test_no_*']   one suite, or some of its tests
#   make cli [CASES='window-*']    the CLI cases (tests/cli/cases), or some
#   make cli-regen [CASES=...]     rewrite their expected output; review: git diff
#   make asan     build ./perfleak-asan (ASan+UBSan) and rerun the tests with it
#   make valgrind run the CLI tests under valgrind
#   make tsan     the threaded tests under ThreadSanitizer
#   make samples  regenerate samples/ from tools/gen_samples.c
#   make fuzz     build the libFuzzer targets (clang) and run each FUZZ_TIME s
#   make bench    time perfleak against a libcsv scan and pandas (BIG=1: +1 GB)

CC      ?= cc
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -Iinclude -Isrc -I/usr/include/freetype2
WARN     = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wvla -Wformat=2 -Wpointer-arith -Wundef -Wwrite-strings -Wcast-align \
           -Wold-style-definition -Wnull-dereference
CFLAGS  ?= -O2 -g
# the language, threads and warnings stay whatever CFLAGS is set to
override CFLAGS += -std=c11 -pthread $(WARN)
# every object and test also depends on the headers it includes
DEPFLAGS = -MMD -MP
LDLIBS   = -pthread -lcsv -lgsl -lgslcblas -ljansson -lpng -lfreetype -lfontconfig -lm -ldl
TEST_LDLIBS = -lcmocka -lpng

# Debian packages the build and tests need; `make deps` installs missing ones.
DEB_PKGS = gcc make libc6-dev libcsv-dev libgsl-dev libplot-dev libjansson-dev libarchive-dev \
           libuchardet-dev libcmocka-dev libpng-dev libfreetype-dev libfontconfig-dev \
           fonts-dejavu-core fonts-droid-fallback valgrind
# make check also loads report.html in a real browser (tests/browser.sh)
# and renders report.md as CommonMark (tests/markdown.sh)
CHECK_PKGS = chromium cmark

# src/ is the data flow, one folder per stage; a folder includes only from
# the folders before it in this list (tests/layers.sh checks it).
LAYERS  = util model read store detect analysis diagnose chart report run cli
LIB_SRC = $(filter-out src/cli/main.c,$(foreach d,$(LAYERS),$(sort $(wildcard src/$(d)/*.c))))
LIB_OBJ = $(LIB_SRC:src/%.c=build/%.o)
ASAN_OBJ = $(LIB_SRC:src/%.c=build/asan/%.o)
TESTS   = $(sort $(notdir $(basename $(wildcard tests/test_*.c))))
TEST_BIN = $(TESTS:%=build/tests/%)
ASAN_TEST_BIN = $(TESTS:%=build/asan/tests/%)
ASAN_FLAGS = -fsanitize=address,undefined,float-cast-overflow -fno-omit-frame-pointer -fno-sanitize-recover=all
SAMPLES = samples/srv01-services-leak.csv samples/srv02-pool-paged.csv \
          samples/srv03-healthy.csv samples/srv01-after-fix.csv

.PHONY: check-deps deb deb-deps deb-check install uninstall install-check tsan bench bench-deps all deps fuzz-deps demo check test cli cli-regen asan valgrind samples bench-accuracy fuzz fuzz-build clean
.DELETE_ON_ERROR:

all: perfleak

build/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(DEPFLAGS) -c $< -o $@

build/libperfleak.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

perfleak: build/cli/main.o build/libperfleak.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDFLAGS) $(LDLIBS)

build/tests/test_detect build/asan/tests/test_detect: tests/corpus.c tests/corpus.h tools/splitmix.h
build/tests/test_diagnose build/asan/tests/test_diagnose: tests/servers.c tests/servers.h tools/splitmix.h
build/tests/test_winmodel build/asan/tests/test_winmodel: tests/winmodel.c tests/winmodel.h tools/splitmix.h
build/tests/test_fleet build/asan/tests/test_fleet: tests/winmodel.c tests/winmodel.h tools/splitmix.h
build/tests/test_blg build/asan/tests/test_blg: tests/blgwrite.c tests/blgwrite.h
# test_inputs writes its archives with libarchive itself
build/tests/test_inputs build/asan/tests/test_inputs: tests/blgwrite.c tests/blgwrite.h
build/tests/test_inputs build/asan/tests/test_inputs build/tsan/test_inputs: TEST_LDLIBS += -larchive
build/tests/test_alloc build/asan/tests/test_alloc: tests/blgwrite.c tests/blgwrite.h tests/servers.c tests/servers.h tools/splitmix.h
# test_alloc makes each allocation of the library fail in turn.
build/tests/test_alloc build/asan/tests/test_alloc: LDFLAGS += -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=posix_memalign
build/tests/test_regress build/asan/tests/test_regress: $(wildcard tests/fuzz/*.c)
build/tests/%: tests/%.c build/libperfleak.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests -Itools $(CFLAGS) $(DEPFLAGS) -o $@ $< $(filter tests/corpus.c tests/blgwrite.c tests/servers.c tests/winmodel.c,$^) build/libperfleak.a $(LDFLAGS) $(LDLIBS) $(TEST_LDLIBS)

build/tests/bench_accuracy: tests/bench_accuracy.c tests/corpus.c tests/corpus.h tests/servers.c tests/servers.h tests/winmodel.c tests/winmodel.h tools/splitmix.h build/libperfleak.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests -Itools $(CFLAGS) -o $@ tests/bench_accuracy.c tests/corpus.c tests/servers.c tests/winmodel.c build/libperfleak.a $(LDFLAGS) $(LDLIBS)

# Precision/recall of perfleak and three baselines on the labelled corpus.
cli: perfleak
	sh tests/cli/run.sh ./perfleak '$(or $(CASES),*)'

cli-regen: perfleak
	sh tests/cli/run.sh --regen ./perfleak '$(or $(CASES),*)'

bench-accuracy: build/tests/bench_accuracy
	build/tests/bench_accuracy 30 1

build/tools/gen_samples: tools/gen_samples.c tools/splitmix.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< -lm

deps:
	@missing=""; \
	for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != 0 ]; then \
	    echo "perfleak: missing Debian packages:$$missing (run as root, or: sudo apt-get install$$missing)"; exit 2; \
	  fi; \
	  echo "perfleak: installing$$missing"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi

demo: deps
	$(MAKE) perfleak
	@echo
	@echo '$$ ./perfleak analyze samples/srv01-services-leak.csv -o demo-report'
	@./perfleak analyze samples/srv01-services-leak.csv -o demo-report; echo "(exit status $$?)"
	@echo
	@echo '$$ ./perfleak analyze samples/srv02-pool-paged.csv'
	@./perfleak analyze samples/srv02-pool-paged.csv; echo "(exit status $$?)"
	@echo
	@echo '$$ ./perfleak analyze samples/srv03-healthy.csv'
	@./perfleak analyze samples/srv03-healthy.csv; echo "(exit status $$?)"
	@echo
	@echo "Reports and charts written to demo-report/ (report.html, report.md, report.json,"
	@echo "summary.png and a chart per leak)."

check-deps:
	@$(MAKE) --no-print-directory deps DEB_PKGS="$(DEB_PKGS) $(CHECK_PKGS)"

check: check-deps
	$(MAKE) test

# every test; T=test_NAME one suite, ONLY=PATTERN the tests of it whose
# names match (cmocka's filter)
test: perfleak $(if $(T),build/tests/$(T),$(TEST_BIN) build/tools/gen_samples build/tools/gen_bad build/tools/gen_recip10)
ifneq ($(T),)
	ONLY='$(ONLY)' build/tests/$(T)
else
	@sh tests/run_tests.sh build/tests ./perfleak build/tools/gen_samples build/tools/gen_bad
	@sh tests/install.sh "$(MAKE)"
endif

# The HTML report's script and style, as C strings inlined into html.o.
build/tools/embed: tools/embed.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $<

build/gen/report/html_app_js.h: src/report/html_app.js build/tools/embed
	@mkdir -p $(@D)
	build/tools/embed HTML_APP_JS $< > $@

build/gen/report/html_app_css.h: src/report/html_app.css build/tools/embed
	@mkdir -p $(@D)
	build/tools/embed HTML_APP_CSS $< > $@

HTML_ASSETS = build/gen/report/html_app_js.h build/gen/report/html_app_css.h
# the pages that carry the style: analyze's, compare's and fleet's
HTML_PAGES = html compare fleet
HTML_PAGE_OBJ = $(foreach p,$(HTML_PAGES),build/report/$(p).o build/asan/report/$(p).o build/fuzz/report/$(p).o)
$(HTML_PAGE_OBJ): $(HTML_ASSETS)
$(HTML_PAGE_OBJ): CPPFLAGS += -Ibuild/gen

build/tools/gen_recip10: tools/gen_recip10.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $<

build/tools/mutate: tests/mutate.c tools/splitmix.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itools $(CFLAGS) -o $@ tests/mutate.c

build/tools/mutate_server: tests/mutate_server.c tools/splitmix.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itools $(CFLAGS) -o $@ tests/mutate_server.c

build/tools/gen_bad: tests/bad/gen_bad.c tests/blgwrite.c tests/blgwrite.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests $(CFLAGS) -o $@ tests/bad/gen_bad.c tests/blgwrite.c

asan: check-deps
	$(MAKE) perfleak-asan $(ASAN_TEST_BIN) build/tools/gen_samples build/tools/gen_bad build/tools/gen_recip10 build/tools/mutate build/tools/mutate_server
	@WM_HEALTHY=40 WM_LEAKY=2 FLEET_SERVERS=40 BOUNDS_N=2000 ALLOC_STRIDE=40 ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0:malloc_context_size=30 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 sh tests/run_tests.sh build/asan/tests ./perfleak-asan build/tools/gen_samples build/tools/gen_bad
	@# the mutants and the fork stress side by side (each is mostly one
	@# process at a time); the stress's report follows the mutants'
	@ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 sh tests/forkstress.sh ./perfleak-asan build/asan/tests/test_winmodel $(FORK_RUNS) >build/asan/forkstress.log 2>&1 & fs=$$!; \
	ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0:malloc_context_size=30 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 sh tests/mutate.sh ./perfleak-asan build/tools/mutate $(MUTANTS) build/tools/mutate_server build/asan/tests/test_winmodel $(SERVER_MUTANTS); mrc=$$?; \
	wait $$fs; frc=$$?; cat build/asan/forkstress.log; [ $$mrc = 0 ] && [ $$frc = 0 ]

build/asan/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -O1 $(ASAN_FLAGS) $(DEPFLAGS) -c $< -o $@

build/asan/libperfleak.a: $(ASAN_OBJ)
	rm -f $@ && ar rcs $@ $^

perfleak-asan: build/asan/cli/main.o build/asan/libperfleak.a
	$(CC) $(CFLAGS) $(ASAN_FLAGS) -o $@ $^ $(LDFLAGS) $(LDLIBS)

build/asan/tests/%: tests/%.c build/asan/libperfleak.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests -Itools $(CFLAGS) -O1 $(ASAN_FLAGS) $(DEPFLAGS) -o $@ $< $(filter tests/corpus.c tests/blgwrite.c tests/servers.c tests/winmodel.c,$^) build/asan/libperfleak.a $(LDFLAGS) $(LDLIBS) $(TEST_LDLIBS)

VALGRIND = valgrind -q --suppressions=$(CURDIR)/tests/valgrind.supp --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99

valgrind: deps
	$(MAKE) perfleak build/tools/gen_bad
	@PERFLEAK_WRAP="$(VALGRIND)" sh tests/cli/run.sh ./perfleak
	@rm -rf build/bad && mkdir -p build/bad && build/tools/gen_bad build/bad && \
	  PERFLEAK_WRAP="$(VALGRIND)" sh tests/bad/run.sh ./perfleak build/bad

# ---- fuzzing (clang's libFuzzer) ----
# Each target starts from its seeds in tests/fuzz/ plus the real logs in
# ../shared/data (read in place, never copied here); what it learns stays
# in build/fuzz/ between runs. FUZZ_TIME is seconds per target.
MUTANTS      = 6
FORK_RUNS    = 50
SERVER_MUTANTS = 40
FUZZ_CC      = clang
FUZZ_TIME   ?= 60
FUZZ_JOBS   ?= 1
FUZZ_FLAGS   = -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
FUZZ_TARGETS = fuzz_import fuzz_blg fuzz_path fuzz_number fuzz_charts fuzz_names
FUZZ_OBJ     = $(LIB_SRC:src/%.c=build/fuzz/%.o)
SHARED_DATA ?= ../shared/data
FUZZ_PKGS    = clang libclang-rt-dev

fuzz-deps:
	@$(MAKE) --no-print-directory deps DEB_PKGS="$(DEB_PKGS) $(FUZZ_PKGS)"

build/fuzz/%.o: src/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) -std=c11 -pthread $(FUZZ_FLAGS) $(DEPFLAGS) -c $< -o $@

build/fuzz/%: tests/fuzz/%.c $(FUZZ_OBJ)
	$(FUZZ_CC) $(CPPFLAGS) -std=c11 -pthread $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJ) $(LDLIBS)

.SECONDARY: $(FUZZ_OBJ)
fuzz-build: $(FUZZ_TARGETS:%=build/fuzz/%) build/fuzz/seeds_blg/example-4k

build/fuzz/gen_blg_seeds: tests/fuzz/gen_blg_seeds.c tests/blgwrite.c tests/blgwrite.h
	@mkdir -p build/fuzz
	$(CC) -Itests $(CFLAGS) -o $@ tests/fuzz/gen_blg_seeds.c tests/blgwrite.c

build/fuzz/seeds_blg/example-4k: build/fuzz/gen_blg_seeds
	mkdir -p build/fuzz/seeds_blg && build/fuzz/gen_blg_seeds build/fuzz/seeds_blg

fuzz: fuzz-deps
	$(MAKE) fuzz-build
	@# The real logs as seeds, read in place: each copy in build/ gets the
	@# targets' leading byte (0xFF: one chunk; fuzz_import: the default set) and is cut at 64 KiB.
	@rm -rf build/fuzz/seeds_real && mkdir -p build/fuzz/seeds_real; \
	if [ -d $(SHARED_DATA) ]; then find $(SHARED_DATA) -type f | while read -r f; do \
	  { printf '\377'; head -c 65535 "$$f"; } > build/fuzz/seeds_real/$$(basename "$$f"); done; fi
	@# Every past crash is a seed of every target, so clang's sanitizers see
	@# it again on each run (gcc's make asan does not flag NULL + 0).
	@for t in $(FUZZ_TARGETS); do \
	  seeds=tests/fuzz/corpus_$${t#fuzz_}; extra=""; \
	  if [ $$t = fuzz_blg ]; then seeds=build/fuzz/seeds_blg; extra=build/fuzz/seeds_real; fi; \
	  if [ $$t = fuzz_import ]; then extra="build/fuzz/seeds_blg build/fuzz/seeds_real"; fi; \
	  mkdir -p build/fuzz/work/$$t; \
	  echo "fuzz: $$t for $(FUZZ_TIME) s"; \
	  export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1:malloc_context_size=30 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0; \
	  if build/fuzz/$$t -max_total_time=$(FUZZ_TIME) -rss_limit_mb=2048 -timeout=10 -max_len=65536 \
	    -print_final_stats=1 -artifact_prefix=build/fuzz/$$t- \
	    build/fuzz/work/$$t $$seeds $$extra tests/fuzz/regress >build/fuzz/$$t.log 2>&1; then \
	    grep -E '^stat::(number_of_executed_units|peak_rss_mb|new_units_added)|DONE' build/fuzz/$$t.log; \
	  else tail -n 40 build/fuzz/$$t.log; echo "fuzz: $$t FAILED (log: build/fuzz/$$t.log)"; exit 1; fi; \
	done

# ---- threads: every test that runs threads (the CSV pipeline, judging,
# the JSON halves, charts, the batch of logs), under ThreadSanitizer ----
TSAN_TESTS = test_batch test_import test_inputs test_blg test_report test_analysis test_plot
build/tsan/%: tests/%.c $(LIB_SRC) $(wildcard include/perfleak/*.h src/*/*.h tests/*.h) tests/blgwrite.c $(HTML_ASSETS)
	@mkdir -p build/tsan
	$(CC) $(CPPFLAGS) -Ibuild/gen -Itests -Itools -std=c11 -O1 -g -pthread -fsanitize=thread -o $@ $< $(filter tests/blgwrite.c,$^) $(LIB_SRC) $(LDLIBS) $(TEST_LDLIBS)

tsan: deps
	$(MAKE) $(TSAN_TESTS:%=build/tsan/%)
	@for t in $(TSAN_TESTS); do TSAN_OPTIONS=halt_on_error=1 build/tsan/$$t >build/tsan/$$t.log 2>&1 || { cat build/tsan/$$t.log; exit 1; }; done; \
	  echo "tsan: $(TSAN_TESTS) clean"

# ---- speed ----
# make deb: the Debian package (debian/), built from a copy of the tree in
# build/deb (dpkg-buildpackage writes beside the tree it builds) and held to
# lintian; build/deb/perfleak_VERSION_ARCH.deb is the package. make
# deb-check also installs it, runs it and removes it again (as root).
DEB_TOOLS = debhelper dpkg-dev lintian

deb-deps:
	@$(MAKE) --no-print-directory deps DEB_PKGS="$(DEB_PKGS) $(DEB_TOOLS)"

deb: deb-deps
	rm -rf build/deb
	mkdir -p build/deb/perfleak
	cp -r Makefile LICENSE README.md src include docs completions tools debian build/deb/perfleak/
	cd build/deb/perfleak && dpkg-buildpackage -us -uc -b
	lintian --fail-on error,warning build/deb/perfleak_*_*.deb

deb-check: deb
	dpkg -i build/deb/perfleak_*_*.deb
	/usr/bin/perfleak --version
	man -w perfleak >/dev/null
	dpkg -r perfleak
	@test ! -e /usr/bin/perfleak && echo "deb-check: the package builds, is lintian-clean, installs, runs and goes"

BENCH_PKGS = python3-pandas zip unzip

bench-deps:
	@$(MAKE) --no-print-directory deps DEB_PKGS="$(DEB_PKGS) $(BENCH_PKGS)"

build/bench/gen_csv: bench/gen_csv.c bench/pdhtime.h tools/splitmix.h
	@mkdir -p build/bench
	$(CC) $(CPPFLAGS) -Itools $(CFLAGS) -o $@ $<

build/bench/gen_blg: bench/gen_blg.c tests/blgwrite.c tests/blgwrite.h tools/splitmix.h
	@mkdir -p build/bench
	$(CC) $(CPPFLAGS) -Itests -Itools $(CFLAGS) -o $@ bench/gen_blg.c tests/blgwrite.c

build/bench/gen_proc: bench/gen_proc.c bench/pdhtime.h tests/blgwrite.c tests/blgwrite.h tools/splitmix.h
	@mkdir -p build/bench
	$(CC) $(CPPFLAGS) -Itests -Itools $(CFLAGS) -o $@ bench/gen_proc.c tests/blgwrite.c

build/bench/csvscan: bench/csvscan.c
	@mkdir -p build/bench
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< -lcsv

build/bench/timeit: bench/timeit.c
	@mkdir -p build/bench
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $<

bench: bench-deps
	$(MAKE) perfleak build/bench/gen_csv build/bench/gen_blg build/bench/gen_proc build/bench/csvscan build/bench/timeit
	sh bench/run.sh build/bench $(if $(BIG),big,)

samples: build/tools/gen_samples
	build/tools/gen_samples samples

# ---- install (GNU conventions). The library is internal to the tool:
# no shared library, headers or pkg-config file are installed. ----
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share
INSTALLED = $(BINDIR)/perfleak $(MANDIR)/man1/perfleak.1 \
            $(DATADIR)/bash-completion/completions/perfleak \
            $(DATADIR)/zsh/vendor-completions/_perfleak

install: perfleak
	install -D -m 0755 perfleak $(DESTDIR)$(BINDIR)/perfleak
	install -D -m 0644 docs/perfleak.1 $(DESTDIR)$(MANDIR)/man1/perfleak.1
	install -D -m 0644 completions/perfleak.bash $(DESTDIR)$(DATADIR)/bash-completion/completions/perfleak
	install -D -m 0644 completions/_perfleak $(DESTDIR)$(DATADIR)/zsh/vendor-completions/_perfleak

uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))

# make install into a staging folder installs exactly INSTALLED, the
# binary runs from there, and make uninstall leaves no file behind
install-check: perfleak
	@sh tests/install.sh "$(MAKE)"

clean:
	rm -rf build perfleak perfleak-asan demo-report

# header dependencies written by -MMD (after every rule: `make` alone
# still builds `all`)
-include $(shell find build -name '*.d' 2>/dev/null)
