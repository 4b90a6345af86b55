#!/bin/sh
# make asan: `analyze -j 2 -o DIR` RUNS times, each within 20 s, on a
# whole-server log and on a log of 400 leaking processes by turns. Chart
# children are forked while no other thread runs (isolate.h); one forked
# beside a thread that held the sanitizer allocator's lock used to wait
# forever (1 run in 10 to 20 of the many-leaks log, before the fix).
#   sh tests/forkstress.sh PERFLEAK TEST_WINMODEL RUNS
perfleak=$1
winmodel=$2
runs=${3:-50}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# a leaking service (WM_HEAP) on a two-day server of some 130 processes
"$winmodel" draw 7 1 >"$dir/server.csv" 2>/dev/null || { echo "forkstress: cannot draw the server"; exit 1; }
# 400 processes whose Private Bytes grow for two hours
awk 'BEGIN {
    n = 400; printf "\"(PDH-CSV 4.0) (UTC)(0)\""
    for (i = 0; i < n; i++) printf ",\"\\\\SRV\\Process(p%d)\\Private Bytes\"", i
    printf "\r\n"
    for (r = 0; r < 120; r++) {
        printf "\"01/01/2026 %02d:%02d:00.000\"", int(r / 60), r % 60
        for (i = 0; i < n; i++) printf ",%d", 10000000 + i * 1000 + r * (20000 + (i % 97) * 5000) + (r * 7919 + i * 104729) % 1000
        printf "\r\n"
    }
}' >"$dir/leaks.csv"
pass=0
fail=0
i=0
while [ $i -lt "$runs" ]; do
    i=$((i + 1))
    log=$dir/server.csv
    [ $((i % 2)) = 0 ] && log=$dir/leaks.csv
    timeout -k 5 20 "$perfleak" analyze -q -j 2 --max-charts 4 -o "$dir/out" "$log" >/dev/null 2>"$dir/err"
    code=$?
    if [ $code = 1 ] && [ -s "$dir/out/summary.png" ] && [ ! -s "$dir/err" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "forkstress: run $i ($(basename "$log")): exit $code$([ $code = 124 ] && echo ' (hung)'): $(head -c 300 "$dir/err")"
    fi
done
echo "forkstress: $pass passed, $fail failed ($runs runs of analyze -o)"
[ $fail = 0 ]
