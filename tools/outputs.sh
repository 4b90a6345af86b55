#!/bin/sh
# tools/outputs.sh: every output a refactoring must keep byte for byte.
# Runs a fixed matrix of commands (analyze in every format, with and
# without -o DIR, counters, convert) over the samples, ../shared/data, the
# bench shapes (small sizes) and drawn whole-server logs, and writes each
# run's stdout, stderr and exit status (and -o DIR's files) under OUT.
# Compare two trees with `diff -r OLD NEW`.
#   sh tools/outputs.sh PERFLEAK OUT [BUILD]
# BUILD (default build) holds tests/test_winmodel and bench/gen_*.
set -f # counter patterns reach perfleak as they are
perfleak=$1
out=$2
b=${3:-build}
data=${PERFLEAK_SHARED_DATA:-../shared/data}
export LC_ALL=C SOURCE_DATE_EPOCH=1767225600
mkdir -p "$out/logs"
logs=""
for f in samples/*.csv tests/data/*.csv; do logs="$logs $f"; done
if [ -d "$data" ]; then
    set +f
    for f in "$data"/real/*.csv "$data"/real/*.tsv "$data"/csv/*.csv "$data"/blg/*; do
        [ -f "$f" ] && logs="$logs $f"
    done
    set -f
fi
if [ -x "$b/bench/gen_csv" ]; then
    "$b/bench/gen_csv" 300 2000 >"$out/logs/bench-300x2000.csv"
    logs="$logs $out/logs/bench-300x2000.csv"
fi
if [ -x "$b/bench/gen_blg" ]; then
    "$b/bench/gen_blg" 300 2000 "$out/logs/bench-300x2000.blg"
    logs="$logs $out/logs/bench-300x2000.blg"
fi
if [ -x "$b/bench/gen_proc" ]; then
    "$b/bench/gen_proc" 60 3000 csv >"$out/logs/proc-60x3000.csv"
    "$b/bench/gen_proc" 60 3000 blg "$out/logs/proc-60x3000.blg"
    logs="$logs $out/logs/proc-60x3000.csv $out/logs/proc-60x3000.blg"
fi
if [ -x "$b/tests/test_winmodel" ]; then
    for kind in 0 1 2 3 4 5 6 7 8 9 10 11; do
        f=$out/logs/server-$kind.csv
        "$b/tests/test_winmodel" draw $((kind + 3)) $kind >"$f" 2>/dev/null && logs="$logs $f"
    done
fi
python3 tests/gen_churn.py 20 200 "$out/logs/churn.csv" >/dev/null 2>&1 && logs="$logs $out/logs/churn.csv"

n=0
run() { # name args...
    name=$1; shift
    "$perfleak" "$@" >"$out/$name.stdout" 2>"$out/$name.stderr"
    echo $? >"$out/$name.exit"
}
for f in $logs; do
    n=$((n + 1))
    k=$(printf '%02d-%s' "$n" "$(basename "$f")")
    run "$k.text" analyze "$f"
    run "$k.json" analyze -f json "$f"
    run "$k.md" analyze -f markdown "$f"
    run "$k.html" analyze -f html "$f"
    run "$k.all" analyze -f json --counter '*' "$f"
    run "$k.counters" counters "$f"
    run "$k.convert" convert "$f"
    run "$k.dir" analyze -q -o "$out/$k.d" "$f"
done
run "all.jsonl" analyze -f jsonl -j 1 $logs
run "samples.merged" analyze samples/srv01-services-leak.csv samples/srv02-pool-paged.csv
run "demo.dir" analyze -q -o "$out/demo.d" samples/srv01-services-leak.csv
run "plot" plot --counter "Process(*)\\Private Bytes" -o "$out/plot.png" samples/srv01-services-leak.csv
run "plot.svg" plot --counter "Memory\\Pool*" -o "$out/plot.svg" samples/srv02-pool-paged.csv
# the manifest lists files as the chart threads finish them
set +f
for m in "$out"/*.d/.perfleak-manifest; do sort -o "$m" "$m"; done
set -f
grep -rlI -F "$out/" "$out" | while read -r f; do sed -i "s|$out/|OUT/|g" "$f"; done
echo "$n logs, outputs in $out"
