#!/bin/sh
# make asan: mutants of the real logs in ../shared/data (tests/mutate.c,
# fixed seeds) through analyze and convert, and mutants of drawn
# whole-server logs (tests/mutate_server.c: ID Process and timestamps
# changed, namesakes renumbered) through analyze's diagnosis, as text and
# jsonl. Each run must end with a
# documented status (0-3), within 20 s and 1 GiB (ASan's hard RSS limit:
# ulimit -v and ASan's shadow memory do not mix), without a sanitizer
# report, and an error must name the file it is about.
#   sh tests/mutate.sh PERFLEAK MUTATE PER_LOG [MUTATE_SERVER WINMODEL SERVERS]
set -f # the commands hold a "*" for perfleak, not for the shell
perfleak=$1
mutate=$2
per=${3:-4}
mserver=${4:-}
winmodel=${5:-}
servers=${6:-0}
data=${PERFLEAK_SHARED_DATA:-../shared/data}
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}hard_rss_limit_mb=1024"
export ASAN_OPTIONS
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
pass=0
fail=0
seed=0
# one mutant through each command: a documented status, in time and
# memory, no sanitizer report, an error naming the file
run_mutant() {
    m=$1; log=$2; shift 2
    for cmd in "$@"; do
            timeout 20 $perfleak $cmd "$m" >"$dir/out" 2>"$dir/err"
            code=$?
            bad=""
            case $code in 0|1|2|3) ;; 124) bad="over 20 s";; *) bad="exit $code";; esac
            if grep -q 'AddressSanitizer\|runtime error\|LeakSanitizer' "$dir/err"; then bad="sanitizer report"; fi
            if grep -q 'hard rss limit' "$dir/err"; then bad="over 1 GiB"; fi
            case $cmd in
            *jsonl*) # an error is the log's record, on standard output
                if [ $code = 2 ] && ! grep -q '"error"' "$dir/out"; then bad="no error record"; fi ;;
            *) if [ $code = 2 ] && ! grep -q "^perfleak: $m" "$dir/err"; then bad="an error that does not name the file"; fi ;;
            esac
            if [ -n "$bad" ]; then
                fail=$((fail + 1))
                echo "mutate: $perfleak $cmd of seed $seed of $(basename "$log"): $bad"
                head -c 600 "$dir/err"; echo
                # kept under build/ (ignored): a mutant is a real log, and
                # real logs are never copied into the repository
                mkdir -p build/mutants && cp "$m" "build/mutants/$seed-$(basename "$log")"
            else
                pass=$((pass + 1))
            fi
    done
    rm -f "$m"
}
if [ -d "$data" ]; then
    for log in $(find "$data" -type f \( -name '*.csv' -o -name '*.tsv' -o -name '*.blg' \) | sort); do
        i=0
        while [ $i -lt "$per" ]; do
            seed=$((seed + 1)); i=$((i + 1))
            m="$dir/m$seed-$(basename "$log")"
            "$mutate" "$seed" "$log" "$m" || { echo "mutate: cannot write $m"; fail=$((fail + 1)); continue; }
            run_mutant "$m" "$log" "analyze -q --counter *" "convert -q"
        done
    done
else
    echo "mutate: no $data here: real logs skipped"
fi
i=0
while [ $i -lt "$servers" ]; do
    i=$((i + 1))
    # every kind of server in turn (healthy, then each leak), seeds of their own
    log="$dir/server$i.csv"
    "$winmodel" draw $((5000 + i)) $((i % 12)) >"$log" 2>/dev/null || { echo "mutate: cannot draw server $i"; fail=$((fail + 1)); continue; }
    m="$dir/s$i-server.csv"
    "$mserver" "$i" "$log" "$m" || { echo "mutate: cannot write $m"; fail=$((fail + 1)); continue; }
    seed=server$i
    run_mutant "$m" "$log" "analyze -q" "analyze -q -f jsonl -j 2"
    rm -f "$log"
done
echo "mutate: $pass passed, $fail failed"
[ $fail = 0 ]
