#!/bin/sh
# Short of memory, perfleak fails with one line naming the file, exit 2,
# and the report set it was to replace stays whole: libplot, which exits
# the process when an allocation fails, draws in a child (src/isolate.c).
# Run under a series of address-space limits from too little to load the
# log to enough for everything.
#   sh tests/memlimit.sh ./perfleak
perfleak=${1:-./perfleak}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
pass=0
fail=0
# sanitizers reserve terabytes of address space: no limit applies to them
if ! (ulimit -v 200000 && "$perfleak" --version) >/dev/null 2>&1; then
    echo "memlimit: 0 passed, 0 failed (skipped: $perfleak cannot run under ulimit -v)"
    exit 0
fi
"$perfleak" analyze samples/srv03-healthy.csv -o "$dir/out" >/dev/null 2>&1
old=$(cd "$dir/out" && ls -A | sort && cat ./* | cksum)
for v in 20000 30000 40000 50000 60000 70000 80000 90000 100000 140000; do
    (ulimit -v $v; exec "$perfleak" analyze samples/srv01-services-leak.csv -o "$dir/out") \
        >"$dir/stdout" 2>"$dir/err"
    code=$?
    now=$(cd "$dir/out" && ls -A | sort && cat ./* | cksum)
    bad=""
    case $code in
    1) grep -q '"leak": 2' "$dir/out/report.json" || bad="exit 1 without the new report" ;;
    2) [ "$now" = "$old" ] || bad="exit 2 but the old report set changed"
       [ -s "$dir/err" ] || bad="exit 2 without a message"
       if grep -v '^perfleak: [^ ]*[/.][^ ]*: ' "$dir/err" | grep -q .; then
           bad="a message without a file: $(grep -v '^perfleak: [^ ]*[/.][^ ]*: ' "$dir/err" | head -1)"
       fi ;;
    *) bad="exit $code" ;;
    esac
    if [ -n "$bad" ]; then
        echo "memlimit: ulimit -v $v: $bad"; fail=$((fail + 1))
    else
        pass=$((pass + 1))
    fi
    [ $code = 1 ] && old=$now
done
echo "memlimit: $pass passed, $fail failed"
[ $fail = 0 ]
