#!/bin/sh
# A signal while an output is being written leaves no temporary behind:
# convert - -o OUT creates OUT's temporary, then waits for standard input,
# which is kept open here until perfleak has been sent the signal.
#   sh tests/signals.sh ./perfleak
perfleak=${1:-./perfleak}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
pass=0
fail=0
for sig in INT TERM HUP; do
    mkfifo "$dir/in"
    # a background job starts with SIGINT ignored (no job control here),
    # which perfleak rightly keeps: perl gives it the default back
    perl -e '$SIG{INT} = "DEFAULT"; exec @ARGV or die' "$perfleak" convert - -o "$dir/out.csv" \
        <"$dir/in" 2>"$dir/err" &
    pid=$!
    exec 3>"$dir/in"
    printf '"(PDH-CSV 4.0) (UTC)(0)","\\\\H\\Memory\\Committed Bytes"\r\n' >&3
    # wait for the temporary to appear (at most 5 s)
    n=0
    while [ -z "$(ls -A "$dir" | grep '^\.out\.csv\.')" ] && [ $n -lt 50 ]; do
        sleep 0.1; n=$((n + 1))
    done
    had=$(ls -A "$dir" | grep -c '^\.out\.csv\.')
    kill -"$sig" "$pid"
    wait "$pid"
    code=$?
    exec 3>&-
    left=$(ls -A "$dir" | grep -c '^\.out\.csv\.')
    if [ "$had" = 1 ] && [ "$left" = 0 ] && [ ! -e "$dir/out.csv" ] && [ "$code" -gt 128 ]; then
        pass=$((pass + 1))
    else
        echo "signals: SIG$sig: temporary seen $had, left $left, exit $code"; fail=$((fail + 1))
    fi
    rm -f "$dir/in" "$dir"/.out.csv.* "$dir/out.csv"
done
echo "signals: $pass passed, $fail failed"
[ $fail = 0 ]
