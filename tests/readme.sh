#!/bin/sh
# The README's examples produce exactly what they show: each "$ ./perfleak
# ..." line of a fenced block is run (from the repository root) and its
# standard output must be the lines after it, up to the next "$ " or the
# fence; and the README's pictures are what their commands draw.
#   sh tests/readme.sh ./perfleak
perfleak=${1:-./perfleak}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
export LC_ALL=C
# split the README into cmd.N (the command) and want.N (what it shows)
awk -v dir="$tmp" '
    /^```/ { if (infence) { infence = 0; n_open = 0 } else infence = 1; next }
    infence && /^\$ \.\/perfleak / { n++; cmd = dir "/cmd." n; want = dir "/want." n;
        sub(/^\$ /, ""); print > cmd; close(cmd); printf "" > want; n_open = 1; next }
    infence && n_open { print >> want }
' README.md
for c in "$tmp"/cmd.*; do
    [ -e "$c" ] || break
    i=${c##*.}
    line=$(sed "s|^\./perfleak|$perfleak|" "$c")
    eval "$line" >"$tmp/got.$i" 2>/dev/null
    if cmp -s "$tmp/got.$i" "$tmp/want.$i"; then
        pass=$((pass + 1))
    else
        echo "readme: \"$(cat "$c")\" prints other than the README shows:"
        diff "$tmp/want.$i" "$tmp/got.$i" | head -20
        fail=$((fail + 1))
    fi
done
# the pictures: docs/summary.png and docs/leak-chart.png are the charts
# of the README's first example with -o
if "$perfleak" analyze -q samples/srv01-services-leak.csv -o "$tmp/out" >/dev/null 2>&1 || [ $? = 1 ]; then
    for pair in "summary.png summary.png" "leak-chart.png leak-01-services-private-bytes-on-srv01.png"; do
        set -- $pair
        if cmp -s "docs/$1" "$tmp/out/$2"; then
            pass=$((pass + 1))
        else
            echo "readme: docs/$1 is not what 'analyze samples/srv01-services-leak.csv -o DIR' draws ($2)"
            fail=$((fail + 1))
        fi
    done
fi
echo "readme: $pass passed, $fail failed"
[ "$fail" = 0 ]
