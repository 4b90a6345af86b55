#!/bin/sh
# report.md rendered as a ticket system renders it (CommonMark, raw HTML
# allowed) from logs whose machine, process and counter names carry
# markup: the HTML holds no element or attribute a name brought in. No
# <img> but perfleak's own charts, no <script>, no on...= attribute, no
# javascript: link, exactly one <h1>, and nothing perfleak wrote is raw
# HTML (cmark's safe mode omits none).
#   sh tests/markdown.sh PERFLEAK
perfleak=$1
pass=0
fail=0
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
if ! command -v cmark >/dev/null 2>&1; then
    echo "markdown: 0 passed, 1 failed (cmark is not installed: make check-deps)"
    exit 1
fi
check() { # NAME CONDITION-RESULT MESSAGE
    if [ "$2" = 0 ]; then pass=$((pass + 1)); else echo "markdown: $1: $3"; fail=$((fail + 1)); fi
}

# A name each: what CommonMark acts on at a line's start, inside a line,
# across a newline (a quoted CSV cell may hold one), and raw HTML.
names='# Heading
<script>alert(1)</script>
x`y``z ![i](http://evil.example/x.png) <img src=x onerror=alert(1)>
[link](javascript:alert(1)) <a href="javascript:alert(2)">a</a> **b** _c_
| t | > q
- item
```
fence
***
<!-- c --> &amp; &#x3c;script&#x3e; ` [r]: javascript:alert(3)
  1. one
<iframe src=//evil.example></iframe>'
i=0
printf '%s\n' "$names" | while IFS= read -r name; do
    i=$((i + 1))
    # doubled quotes inside a quoted cell; the name as machine and process
    q=$(printf '%s' "$name" | sed 's/"/""/g')
    {
        printf '"(PDH-CSV 4.0) (UTC)(0)","\\\\%s\\Process(%s)\\Private Bytes","\\\\%s\\Process(%s)\\ID Process","\\\\%s\\Memory\\Pool Paged Bytes"\r\n' \
            "$q" "$q" "$q" "$q" "$q"
        k=0
        while [ $k -lt 200 ]; do
            printf '"01/01/2026 %02d:%02d:00.000","%d","4242","%d"\r\n' $((k / 60)) $((k % 60)) \
                $((10000000 + k * 50000)) $((200000000 + k * 3))
            k=$((k + 1))
        done
    } >"$dir/log$i.csv"
done
# one name that spans lines, made by a quoted newline
{
    printf '"(PDH-CSV 4.0) (UTC)(0)","\\\\SRV\\Process(a\n# Injected\n<script>x()</script>\n![p](http://e/p.png))\\Private Bytes"\r\n'
    k=0
    while [ $k -lt 200 ]; do
        printf '"01/01/2026 %02d:%02d:00.000","%d"\r\n' $((k / 60)) $((k % 60)) $((10000000 + k * 50000))
        k=$((k + 1))
    done
} >"$dir/lognl.csv"

for log in "$dir"/log*.csv; do
    b=$(basename "$log" .csv)
    out="$dir/out-$b"
    "$perfleak" analyze -q -o "$out" "$log" >/dev/null 2>&1
    st=$?
    check "$b" "$([ $st -le 1 ] && [ -f "$out/report.md" ]; echo $?)" "analyze exited $st without report.md"
    [ -f "$out/report.md" ] || continue
    cmark --unsafe "$out/report.md" >"$dir/$b.html"
    html="$dir/$b.html"
    # every <img> is one of perfleak's charts, by a file name it gives
    bad=$(grep -o '<img[^>]*>' "$html" | grep -v -E '^<img src="(summary|leak-[0-9]+-[a-z0-9-]+)\.png" alt="[^"<>]*" />$')
    check "$b" "$([ -z "$bad" ]; echo $?)" "an <img> a name brought in: $bad"
    check "$b" "$(grep -qi '<script' "$html"; [ $? = 1 ]; echo $?)" "a <script> element"
    check "$b" "$(grep -qi '<iframe' "$html"; [ $? = 1 ]; echo $?)" "an <iframe> element"
    check "$b" "$(grep -qiE '<[a-z][^>]* on[a-z]+=' "$html"; [ $? = 1 ]; echo $?)" "an on...= attribute"
    check "$b" "$(grep -qiE '(href|src)="javascript:' "$html"; [ $? = 1 ]; echo $?)" "a javascript: link"
    n=$(grep -c '<h1>' "$html")
    check "$b" "$([ "$n" = 1 ]; echo $?)" "$n <h1> headings, 1 expected"
    # safe mode drops raw HTML: perfleak writes none
    check "$b" "$(cmark "$out/report.md" | grep -q 'raw HTML omitted'; [ $? = 1 ]; echo $?)" "raw HTML in report.md"
done
echo "markdown: $pass passed, $fail failed"
[ $fail = 0 ]
