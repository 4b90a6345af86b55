#!/bin/sh
# make bench: perfleak side by side with the libcsv floor and the pandas
# peer on the same generated logs; median of 9 runs of wall time (to the
# millisecond) and peak RSS, timed by bench/timeit, written as a Markdown
# table to stdout.
#   sh bench/run.sh BUILD_DIR [BIG]
set -euf # no globbing: counter patterns are passed as they are
b=$1
big=${2:-}
perfleak=./perfleak
py=/usr/bin/python3
runs=9
mkdir -p "$b"

# median wall seconds and the peak RSS (KiB) at that run: "secs kib"
# (bench/timeit forks and waits for each run itself)
measure() {
    "$b/timeit" "$runs" "$b/err" "$@" || { cat "$b/err" >&2; exit 1; }
}

row() { # name file cmd...
    name=$1; file=$2; shift 2
    # Every tool is timed with the whole log in the page cache: this VM
    # drops a few MB of an idle file's cache a minute, and reading them
    # back from disk would be timed as the tool's own work.
    cat "$file" >/dev/null
    set -- $(measure "$@")
    mb=$(du -m "$file" | cut -f1)
    echo "$name|$1|$(awk -v m="$mb" -v s="$1" 'BEGIN{printf "%.0f", (s > 0) ? m / s : 0}')|$(awk -v k="$2" 'BEGIN{printf "%.1f", k / 1024}')"
}

sizes="5000 10000 20000"
[ -n "$big" ] && sizes="$sizes 200000"
echo "machine: $(nproc) cores, $(awk '/model name/{$1=$2=$3="";print;exit}' /proc/cpuinfo | sed 's/^ *//'), $(free -g | awk '/Mem:/{print $2}') GiB"
echo
echo "| log | tool | median wall s | MB/s | peak RSS MiB |"
echo "|---|---|---|---|---|"
for n in $sizes; do
    f=$b/bench-300x$n.csv
    [ -f "$f" ] || "$b/gen_csv" 300 "$n" >"$f"
    mb=$(du -m "$f" | cut -f1)
    label="CSV 300 x $n ($mb MB)"
    r1=$(row perfleak "$f" $perfleak analyze -q --format json --counter '*' "$f")
    r2=$(row "libcsv scan" "$f" "$b/csvscan" "$f")
    echo "| $label | perfleak analyze | $(echo "$r1" | cut -d'|' -f2-4 | sed 's/|/ | /g') |"
    echo "| $label | libcsv scan (floor) | $(echo "$r2" | cut -d'|' -f2-4 | sed 's/|/ | /g') |"
    p=$(echo "$r1" | cut -d'|' -f2); s=$(echo "$r2" | cut -d'|' -f2)
    line="perfleak / libcsv = $(awk -v a="$p" -v b="$s" 'BEGIN{printf "%.2f", a / b}')"
    if [ "$n" = 20000 ] || [ "$n" = 200000 ]; then
        r3=$(row "pandas" "$f" $py bench/peer.py "$f")
        echo "| $label | pandas read_csv + lstsq | $(echo "$r3" | cut -d'|' -f2-4 | sed 's/|/ | /g') |"
        q=$(echo "$r3" | cut -d'|' -f2)
        line="$line; perfleak / pandas = $(awk -v a="$p" -v b="$q" 'BEGIN{printf "%.3f", a / b}')"
    fi
    echo "$line" >>"$b/ratios"
done
f=$b/bench-300x20000.blg
[ -f "$f" ] || "$b/gen_blg" 300 20000 "$f"
mb=$(du -m "$f" | cut -f1)
r=$(row perfleak "$f" $perfleak analyze -q --format json --counter '*' "$f")
echo "| .blg 300 x 20000 ($mb MB) | perfleak analyze | $(echo "$r" | cut -d'|' -f2-4 | sed 's/|/ | /g') |"
r=$(row convert "$f" $perfleak convert --force -o "$b/converted.csv" "$f")
echo "| .blg 300 x 20000 ($mb MB) | perfleak convert to CSV | $(echo "$r" | cut -d'|' -f2-4 | sed 's/|/ | /g') |"
# The narrow log zipped, as a customer attaches it: perfleak reading the
# zip against unzip -p alone and perfleak on the plain log (the issue's
# bound: the two together, +10 %)
f=$b/bench-300x20000.csv
z=$b/bench-300x20000.zip
[ -f "$z" ] || (cd "$b" && zip -q -j bench-300x20000.zip bench-300x20000.csv)
zmb=$(du -m "$z" | cut -f1)
rz=$(row "perfleak zip" "$z" $perfleak analyze -q --format json --counter '*' "$z")
ru=$(row "unzip -p" "$z" sh -c "unzip -p '$z' >/dev/null")
rp=$(row perfleak "$f" $perfleak analyze -q --format json --counter '*' "$f")
echo "| zip of CSV 300 x 20000 ($zmb MB) | perfleak analyze | $(echo "$rz" | cut -d'|' -f2-4 | sed 's/|/ | /g') |"
echo "| zip of CSV 300 x 20000 ($zmb MB) | unzip -p (decompression alone) | $(echo "$ru" | cut -d'|' -f2-4 | sed 's/|/ | /g') |"
echo "zip: perfleak / (unzip -p + perfleak on the CSV) = $(awk -v z="$(echo "$rz" | cut -d'|' -f2)" -v u="$(echo "$ru" | cut -d'|' -f2)" -v p="$(echo "$rp" | cut -d'|' -f2)" 'BEGIN{printf "%.2f", z / (u + p)}')" >>"$b/ratios"
echo
cat "$b/ratios"
rm -f "$b/ratios"

# Wide logs (docs/BENCHMARKS.md, "Wide logs"): each tool run in turn,
# WIDE_RUNS rounds, perfleak and pandas alternating so that both see the
# same machine; the median of each. Columns: wall s, CPU s, peak RSS MiB.
wide_runs=${WIDE_RUNS:-3}
median() { sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
# side_by_side LABEL FILE NCOUNTERS PERFLEAK_ARGS... -- PEER_CMD...
side_by_side() {
    label=$1; file=$2; n=$3; shift 3
    pargs=""; while [ "$1" != "--" ]; do pargs="$pargs $1"; shift; done; shift
    cat "$file" >/dev/null
    : >"$b/p.txt"; : >"$b/q.txt"
    i=0
    while [ $i -lt "$wide_runs" ]; do
        "$b/timeit" 1 "$b/err" $perfleak $pargs "$file" >>"$b/p.txt" || { cat "$b/err" >&2; exit 1; }
        if [ $# -gt 0 ]; then "$b/timeit" 1 "$b/err" "$@" >>"$b/q.txt" || { cat "$b/err" >&2; exit 1; }; fi
        i=$((i + 1))
    done
    pw=$(cut -d' ' -f1 "$b/p.txt" | median); pc=$(cut -d' ' -f3 "$b/p.txt" | median)
    pr=$(cut -d' ' -f2 "$b/p.txt" | median)
    per=$(awk -v k="$pr" -v n="$n" 'BEGIN{printf "%.1f", k / n}')
    echo "| $label | perfleak$pargs | $pw | $pc | $(awk -v k="$pr" 'BEGIN{printf "%.1f", k / 1024}') | $per |"
    if [ $# -gt 0 ]; then
        qw=$(cut -d' ' -f1 "$b/q.txt" | median); qc=$(cut -d' ' -f3 "$b/q.txt" | median)
        qr=$(cut -d' ' -f2 "$b/q.txt" | median)
        echo "| $label | pandas read_csv + lstsq | $qw | $qc | $(awk -v k="$qr" 'BEGIN{printf "%.1f", k / 1024}') | |"
        echo "$label: perfleak / pandas = $(awk -v a="$pw" -v q="$qw" 'BEGIN{printf "%.3f", a / q}') wall, $(awk -v a="$pr" -v q="$qr" 'BEGIN{printf "%.2f", a / q}') memory" >>"$b/ratios"
    fi
}
echo
echo "| log | tool | median wall s | CPU s | peak RSS MiB | KiB per counter |"
echo "|---|---|---|---|---|---|"
for c in 1000 3000 6000; do
    f=$b/wide-${c}x4000.csv
    [ -f "$f" ] || "$b/gen_csv" "$c" 4000 >"$f"
    mb=$(du -m "$f" | cut -f1)
    side_by_side "CSV $c x 4000 ($mb MB)" "$f" "$c" analyze -q --format json --counter '*' -- $py bench/peer.py "$f"
    w=$("$b/timeit" 3 "$b/err" wc -l "$f" | cut -d' ' -f1)
    echo "| CSV $c x 4000 ($mb MB) | wc -l (floor) | $w | | | |"
    echo "CSV $c x 4000: perfleak / wc -l = $(awk -v a="$(cut -d' ' -f1 "$b/p.txt" | median)" -v q="$w" 'BEGIN{printf "%.1f", a / q}')" >>"$b/ratios"
done
# Process(*)\* of 322 processes (28 counters each, ID Process among them)
# over a day at 15 s, processes coming and going; as CSV and as .blg
f=$b/proc-322x5760.csv
[ -f "$f" ] || "$b/gen_proc" 322 5760 csv >"$f"
g=$b/proc-322x5760.blg
[ -f "$g" ] || "$b/gen_proc" 322 5760 blg "$g"
mb=$(du -m "$f" | cut -f1)
nd=$($perfleak analyze -q --format json "$f" | $py -c 'import json,sys; print(json.load(sys.stdin)["summary"]["counters"])' || true)
side_by_side "CSV Process(*) 9016 x 5760 ($mb MB)" "$f" "$nd" analyze -q --format json -- $py bench/peer.py "$f"
side_by_side "CSV Process(*) 9016 x 5760 ($mb MB)" "$f" 9016 analyze -q --format json --counter '*' --
mb=$(du -m "$g" | cut -f1)
side_by_side ".blg Process(*) 9016 x 5760 ($mb MB)" "$g" "$nd" analyze -q --format json --
side_by_side ".blg Process(*) 9016 x 5760 ($mb MB)" "$g" 9016 analyze -q --format json --counter '*' --
echo
cat "$b/ratios"
rm -f "$b/ratios" "$b/p.txt" "$b/q.txt"
# Same answer with one thread and with every core.
$perfleak analyze -q --format json --counter '*' -j 1 "$b/bench-300x20000.csv" >"$b/j1.json" || true
$perfleak analyze -q --format json --counter '*' "$b/bench-300x20000.csv" >"$b/jn.json" || true
if cmp -s "$b/j1.json" "$b/jn.json"; then echo "-j 1 and -j $(nproc): identical JSON"; else echo "-j 1 and -j $(nproc): JSON DIFFERS"; exit 1; fi
