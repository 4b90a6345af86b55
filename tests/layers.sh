#!/bin/sh
# The layout is the data flow: src/util, model, read, store, detect,
# analysis, diagnose, chart, report, run, cli, in that order. A file includes only from
# its own folder and the folders before it, and the objects' symbols say
# the same: no object calls into a later folder, and no two objects call
# each other, directly or around a loop (nm and tsort find it).
#   sh tests/layers.sh BUILD_DIR        (after make: BUILD_DIR/*/*.o)
build=${1:-build}
layers="util model read store detect analysis diagnose chart report run cli"
fail=0
pass=0
rank() {
    i=0
    for l in $layers; do [ "$l" = "$1" ] && { echo $i; return; }; i=$((i + 1)); done
    echo 99
}
# the folder a public header belongs to
public_folder() {
    case $1 in
    perfleak.h|output.h) echo util ;;
    timestamp.h|path.h|counters.h|units.h) echo model ;;
    import.h|inputs.h) echo read ;;
    store.h) echo store ;;
    detect.h) echo detect ;;
    analysis.h|convert.h) echo analysis ;;
    diagnose.h|compare.h|fleet.h) echo diagnose ;;
    plot.h) echo chart ;;
    report.h) echo report ;;
    batch.h) echo run ;;
    *) echo unknown ;;
    esac
}
bad=""
for f in src/*/*.c src/*/*.h include/perfleak/*.h; do
    case $f in
    include/*) own=$(public_folder "$(basename "$f")") ;;
    *) own=$(basename "$(dirname "$f")") ;;
    esac
    r=$(rank "$own")
    for inc in $(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f"); do
        case $inc in
        perfleak/*) to=$(public_folder "${inc#perfleak/}") ;;
        */*) to=${inc%%/*} ;;
        *) to=unknown ;;
        esac
        if [ "$(rank "$to")" -gt "$r" ]; then
            bad="$bad
  $f ($own) includes $inc ($to)"
        fi
    done
done
if [ -z "$bad" ]; then
    echo "layers: every include is from the file's folder or one before it"; pass=$((pass + 1))
else
    echo "layers: includes from a later folder:$bad"; fail=$((fail + 1))
fi
# symbols: who defines what, then who uses it
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for c in src/*/*.c; do
    m=${c#src/}
    m=${m%.c}
    o=$build/$m.o
    [ "$m" = cli/main ] && continue
    if [ ! -f "$o" ]; then
        echo "layers: $o is missing (build first)"; fail=$((fail + 1)); continue
    fi
    nm -g --defined-only "$o" | awk -v m="$m" '$2 ~ /^[TDBR]$/ {print $3, m}' >>"$tmp/defs"
    nm -u "$o" | awk -v m="$m" '{print $2, m}' >>"$tmp/uses"
done
sort -u "$tmp/defs" >"$tmp/defs.s"
sort -u "$tmp/uses" >"$tmp/uses.s"
# "user definer" pairs between different modules
join "$tmp/uses.s" "$tmp/defs.s" | awk '$2 != $3 {print $2, $3}' | sort -u >"$tmp/edges"
bad=""
while read -r user definer; do
    if [ "$(rank "${definer%%/*}")" -gt "$(rank "${user%%/*}")" ]; then
        bad="$bad
  $user calls into $definer"
    fi
done <"$tmp/edges"
if [ -z "$bad" ]; then
    echo "layers: no object calls into a later folder ($(wc -l <"$tmp/edges") calls between objects)"; pass=$((pass + 1))
else
    echo "layers: calls into a later folder:$bad"; fail=$((fail + 1))
fi
if tsort "$tmp/edges" >/dev/null 2>"$tmp/cycle"; then
    echo "layers: no cycle between objects"; pass=$((pass + 1))
else
    echo "layers: a cycle between objects: $(grep -v 'input contains a loop' "$tmp/cycle" | sed 's/^tsort: //' | tr '\n' ' ')"
    fail=$((fail + 1))
fi
# The library's messages say what to give; only the CLI names its options
# (cli.c's FLAG_PHRASES). Two texts are a report's, not a message: the
# JSON's limit_source "--limit", and the advice of an empty report.
flags=$(grep -n '"[^"]*--[a-z]' src/util/*.c src/model/*.c src/read/*.c src/store/*.c \
    src/detect/*.c src/analysis/*.c src/chart/*.c | grep -v 'limit_source, "--limit"' |
    grep -v "no counter matched the selection (try --counter")
if [ -z "$flags" ]; then
    echo "layers: no library message names a command-line option"; pass=$((pass + 1))
else
    echo "layers: library messages naming an option:"; echo "$flags"; fail=$((fail + 1))
fi
echo "layers: $pass passed, $fail failed"
[ $fail = 0 ]
