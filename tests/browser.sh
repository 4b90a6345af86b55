#!/bin/sh
# report.html in a real browser: each page perfleak writes for the bundled
# samples is loaded in headless Chromium with tests/browser_check.js added
# after its own script, which hovers, zooms, sorts and filters as a reader
# would and records what it saw; --dump-dom brings that back.
#   sh tests/browser.sh ./perfleak
perfleak=${1:-./perfleak}
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
browser=""
for b in chromium chromium-browser google-chrome; do
    command -v "$b" >/dev/null 2>&1 && { browser=$b; break; }
done
if [ -z "$browser" ]; then
    echo "browser: no Chromium to load report.html in (make check installs Debian's chromium)"
    echo "browser: 0 passed, 1 failed"
    exit 1
fi
# NAME CHARTS LIMITS ZEROS FILTER -- perfleak analyze arguments
# (COMMAND=compare, CHECK=tests/browser_compare.js: LIMITS is the first
# verdict, perfleak compare's arguments)
page() {
    name=$1 charts=$2 limits=$3 zeros=$4 word=$5
    shift 6
    SOURCE_DATE_EPOCH=1764633600 "$perfleak" "${COMMAND:-analyze}" -q "$@" -o "$tmp/$name" >/dev/null 2>&1
    code=$?
    if [ $code -gt 1 ] && [ $code != 3 ] || [ ! -f "$tmp/$name/report.html" ]; then
        echo "browser $name: perfleak ${COMMAND:-analyze} $* failed (exit $code)"; fail=$((fail + 1)); return
    fi
    # errors from the first line of script on, then the page, then the check
    awk -v charts="$charts" -v limits="$limits" -v zeros="$zeros" -v word="$word" -v check="${CHECK:-tests/browser_check.js}" '
        /<head>/ && !h { sub(/<head>/, "<head><script>window.__plErrors=[];addEventListener(\"error\",function(e){__plErrors.push(e.message)});</script>"); h = 1 }
        /<body>/ && !b { sub(/<body>/, "<body data-want-charts=\"" charts "\" data-want-limits=\"" limits "\" data-want-verdict=\"" limits "\" data-want-zero=\"" zeros "\" data-filter-word=\"" word "\">"); b = 1 }
        /<\/body>/ { print "<script>"; while ((getline l < check) > 0) print l; print "</script>" }
        { print }
    ' "$tmp/$name/report.html" >"$tmp/$name/check.html"
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run --window-size=1280,900 \
        --virtual-time-budget=5000 --dump-dom "file://$tmp/$name/check.html" >"$tmp/$name.dom" 2>"$tmp/$name.err"
    sed -n '/<pre id="browser-check">/,/<\/pre>/p' "$tmp/$name.dom" |
        sed 's/<pre id="browser-check">//; s/<\/pre>.*//; s/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g; s/&amp;/\&/g' >"$tmp/$name.res"
    p=$(grep -c '^ok ' "$tmp/$name.res")
    f=$(grep -c '^not ok ' "$tmp/$name.res")
    if ! grep -q '^browser-check: ' "$tmp/$name.res"; then
        echo "browser $name: the check did not finish in Chromium:"; tail -5 "$tmp/$name.err"
        fail=$((fail + 1)); return
    fi
    grep '^not ok ' "$tmp/$name.res" | sed "s/^/browser $name: /"
    pass=$((pass + p))
    fail=$((fail + f))
}
page services 2 1 0 private -- samples/srv01-services-leak.csv -l 'Process(services)\Private Bytes=600MB'
page pool 2 1 1 pool -- samples/srv02-pool-paged.csv -l 'Memory\Pool Paged Bytes=2GB'
page healthy 0 0 0 working -- samples/srv03-healthy.csv
COMMAND=compare CHECK=tests/browser_compare.js page compare-fixed 1 gone 0 - -- samples/srv01-services-leak.csv samples/srv01-after-fix.csv
COMMAND=compare CHECK=tests/browser_compare.js page compare-same 1 unchanged 0 - -- samples/srv02-pool-paged.csv samples/srv02-pool-paged.csv
# fleet: the samples' records and copies of them under other names, so
# that a culprit recurs (CHARTS: recurring culprits, LIMITS: servers with
# findings, ZEROS: logs not read)
"$perfleak" analyze -q -f jsonl samples/srv01-services-leak.csv samples/srv02-pool-paged.csv \
    samples/srv03-healthy.csv tests/data/empty.csv >"$tmp/records.jsonl" 2>/dev/null
for k in 11 12 13; do
    sed -n "/SRV0[12]/s/SRV0\([12]\)/SRV$k\1/gp" "$tmp/records.jsonl" >>"$tmp/records.jsonl.more"
done
cat "$tmp/records.jsonl.more" >>"$tmp/records.jsonl"
COMMAND=fleet CHECK=tests/browser_fleet.js page fleet 2 8 1 - -- "$tmp/records.jsonl"
echo "browser: $pass passed, $fail failed"
[ $fail = 0 ]
