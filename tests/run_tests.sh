#!/bin/sh
# make check / make asan: every cmocka suite, the CLI cases, the malformed
# logs of tests/bad (written by GEN_BAD), and checks that tools/gen_samples
# still writes exactly the checked-in samples and tools/gen_recip10 (built
# beside GEN_SAMPLES) the table in src/read/csv.c.
#   sh tests/run_tests.sh BINDIR PERFLEAK GEN_SAMPLES GEN_BAD
bindir=$1
perfleak=$2
gen=$3
genbad=$4
pass=0
fail=0
log=$(mktemp)
trap 'rm -f "$log"; rm -rf "${sdir:-}"' EXIT
for t in "$bindir"/test_*; do
    case $t in *.d) continue ;; esac
    "$t" >"$log" 2>&1
    code=$?
    cat "$log"
    # a suite may run several groups: each says its own count
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{ s += $1 } END { if (NR) print s }')
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{ s += $1 } END { if (NR) print s }')
    pass=$((pass + ${p:-0}))
    fail=$((fail + ${f:-0}))
    if [ $code != 0 ] && [ -z "$f" ]; then
        echo "$t crashed or failed to run (exit $code)"; fail=$((fail + 1))
    fi
done
sh tests/cli/run.sh "$perfleak" >"$log" 2>&1
cat "$log"
p=$(sed -n 's/^cli: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p' "$log")
f=$(sed -n 's/^cli: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p' "$log")
pass=$((pass + ${p:-0}))
fail=$((fail + ${f:-1}))
bdir=$(mktemp -d)
"$genbad" "$bdir" && sh tests/bad/run.sh "$perfleak" "$bdir" >"$log" 2>&1
cat "$log"
rm -rf "$bdir"
p=$(sed -n 's/^bad: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p' "$log")
f=$(sed -n 's/^bad: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p' "$log")
pass=$((pass + ${p:-0}))
fail=$((fail + ${f:-1}))
for script in signals memlimit layers readme browser markdown; do
    arg=$perfleak
    [ $script = layers ] && arg=$(dirname "$bindir")
    sh tests/$script.sh "$arg" >"$log" 2>/dev/null
    cat "$log"
    p=$(sed -n "s/^$script: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p" "$log")
    f=$(sed -n "s/^$script: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p" "$log")
    pass=$((pass + ${p:-0}))
    fail=$((fail + ${f:-1}))
done
missing=$("$perfleak" --help | grep -o -- '--[a-z][a-z-]*' | sort -u | while read -r o; do
    m=$(printf '%s' "${o#--}" | sed 's/-/\\-/g')
    grep -qF -e "\\-\\-${o#--}" -e "\\-\\-$m" docs/perfleak.1 || printf ' %s' "$o"; done)
if [ -z "$missing" ]; then
    echo "man: docs/perfleak.1 documents every option of --help"; pass=$((pass + 1))
else
    echo "man: docs/perfleak.1 lacks$missing"; fail=$((fail + 1))
fi
sdir=$(mktemp -d)
if "$gen" "$sdir" && for s in samples/*.csv; do cmp "$s" "$sdir/$(basename "$s")" || exit 1; done; then
    echo "samples: regenerated samples are identical"; pass=$((pass + 1))
else
    echo "samples: tools/gen_samples no longer writes the checked-in samples (run make samples)"; fail=$((fail + 1))
fi
if "$(dirname "$gen")/gen_recip10" >"$sdir/recip10" &&
    sed -n '/^} recip10\[\] = {$/,/^};$/p' src/read/number_table.h | sed '1d;$d' | cmp -s - "$sdir/recip10"; then
    echo "recip10: tools/gen_recip10 writes the table in src/read/number_table.h"; pass=$((pass + 1))
else
    echo "recip10: the table in src/read/number_table.h is not what tools/gen_recip10 writes"; fail=$((fail + 1))
fi
echo
echo "tests: $pass passed, $fail failed"
[ $fail = 0 ]
