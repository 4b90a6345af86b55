#!/bin/sh
# make asan: mutants of the real logs in ../shared/data (tests/mutate.c,
# fixed seeds) through analyze and convert. Each run must end with a
# documented status (0-3), within 20 s and 1 GiB (ASan's hard RSS limit:
# ulimit -v and ASan's shadow memory do not mix), without a sanitizer
# report, and an error must name the file it is about.
#   sh tests/mutate.sh PERFLEAK MUTATE PER_LOG
set -f # the commands hold a "*" for perfleak, not for the shell
perfleak=$1
mutate=$2
per=${3:-4}
data=${PERFLEAK_SHARED_DATA:-../shared/data}
if [ ! -d "$data" ]; then echo "mutate: skipped (no $data here)"; echo "mutate: 0 passed, 0 failed"; exit 0; fi
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}hard_rss_limit_mb=1024"
export ASAN_OPTIONS
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
pass=0
fail=0
seed=0
for log in $(find "$data" -type f \( -name '*.csv' -o -name '*.tsv' -o -name '*.blg' \) | sort); do
    i=0
    while [ $i -lt "$per" ]; do
        seed=$((seed + 1)); i=$((i + 1))
        m="$dir/m$seed-$(basename "$log")"
        "$mutate" "$seed" "$log" "$m" || { echo "mutate: cannot write $m"; fail=$((fail + 1)); continue; }
        for cmd in "analyze -q --counter *" "convert -q"; do
            timeout 20 $perfleak $cmd "$m" >"$dir/out" 2>"$dir/err"
            code=$?
            bad=""
            case $code in 0|1|2|3) ;; 124) bad="over 20 s";; *) bad="exit $code";; esac
            if grep -q 'AddressSanitizer\|runtime error\|LeakSanitizer' "$dir/err"; then bad="sanitizer report"; fi
            if grep -q 'hard rss limit' "$dir/err"; then bad="over 1 GiB"; fi
            if [ $code = 2 ] && ! grep -q "^perfleak: $m" "$dir/err"; then bad="an error that does not name the file"; fi
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
    done
done
echo "mutate: $pass passed, $fail failed"
[ $fail = 0 ]
