#!/bin/sh
# Runs perfleak on every malformed log gen_bad wrote into DIR and checks
# the exit status and the message against tests/bad/expect.txt. Also fails
# on a crash (status above 2) or when it takes more than 60 s (a hang).
#   sh tests/bad/run.sh ./perfleak build/bad
perfleak=$1
dir=$2
pass=0
fail=0
export LC_ALL=C
while IFS='|' read -r name code want; do
    case $name in '#'*|'') continue ;; esac
    timeout 60 ${PERFLEAK_WRAP:-} $perfleak analyze --counter '*' "$dir/$name" >"$dir/$name.out" 2>"$dir/$name.err"
    got=$?
    ok=1
    if [ "$got" != "$code" ]; then
        echo "bad $name: exit status $got, expected $code"; cat "$dir/$name.err"; ok=0
    elif [ -n "$want" ] && ! grep -qF -- "$want" "$dir/$name.err"; then
        echo "bad $name: stderr lacks: $want"; cat "$dir/$name.err"; ok=0
    elif [ "$code" = 2 ] && [ "$(wc -l <"$dir/$name.err")" != 1 ]; then
        echo "bad $name: a refusal must be one line on stderr:"; cat "$dir/$name.err"; ok=0
    fi
    if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done <tests/bad/expect.txt
echo "bad: $pass passed, $fail failed"
[ "$fail" = 0 ]
