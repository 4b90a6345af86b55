#!/bin/sh
# make asan: `analyze -o DIR` on a whole-server log, RUNS times with two
# threads, each within 120 s. Chart children are forked while no other
# thread runs (isolate.h); one forked beside a thread that held the
# sanitizer allocator's lock used to wait forever (2 to 5 runs in 30).
#   sh tests/forkstress.sh PERFLEAK TEST_WINMODEL RUNS
perfleak=$1
winmodel=$2
runs=${3:-50}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# a leaking service (WM_HEAP) on a two-day server of some 130 processes
"$winmodel" draw 7 1 >"$dir/web.csv" 2>/dev/null || { echo "forkstress: cannot draw the server"; exit 1; }
pass=0
fail=0
i=0
while [ $i -lt "$runs" ]; do
    i=$((i + 1))
    timeout -k 5 120 "$perfleak" analyze -q -j 2 -o "$dir/out" "$dir/web.csv" >/dev/null 2>"$dir/err"
    code=$?
    if [ $code = 1 ] && [ -s "$dir/out/summary.png" ] && [ ! -s "$dir/err" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "forkstress: run $i: exit $code$([ $code = 124 ] && echo ' (hung)'): $(head -c 300 "$dir/err")"
    fi
done
echo "forkstress: $pass passed, $fail failed ($runs runs of analyze -o on a whole-server log)"
[ $fail = 0 ]
