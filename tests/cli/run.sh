#!/bin/sh
# Runs the CLI cases in tests/cli/cases: NAME.args holds what the case
# guards (lines starting with '#') and the arguments (shell words, may
# redirect stdin), NAME.stdout / NAME.stderr / NAME.exit what must come
# out (a missing file is not checked). Run from the repository root.
# Cases that read the real logs of ../shared/data are skipped, and say so,
# where that folder is absent (a clone elsewhere).
#   sh tests/cli/run.sh ./perfleak [PATTERN]      PATTERN: case names, e.g. 'window-*'
#   sh tests/cli/run.sh --regen ./perfleak [PATTERN]
# --regen writes each case's expected output from the binary given (the
# files it has; all three for a new case), for review with
# `git diff tests/cli/cases` before a commit.
# PERFLEAK_WRAP="valgrind ..." wraps the binary.
regen=0
if [ "${1:-}" = --regen ]; then regen=1; shift; fi
perfleak=${1:-./perfleak}
pattern=${2:-*}
dir=tests/cli/cases
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
skip=0
export LC_ALL=C
# the reports record when they ran: the same moment every time
export SOURCE_DATE_EPOCH=1767225600
for args in "$dir"/$pattern.args; do
    [ -f "$args" ] || { echo "cli: no case matches '$pattern'"; exit 1; }
    name=$(basename "$args" .args)
    if grep -q '\.\./shared/data' "$args" && [ ! -d ../shared/data ]; then
        echo "cli $name: skipped (no ../shared/data here)"; skip=$((skip + 1)); continue
    fi
    eval "${PERFLEAK_WRAP:-} $perfleak $(grep -v '^#' "$args")" >"$tmp/out" 2>"$tmp/err"
    code=$?
    if [ $regen = 1 ]; then
        new=1
        for s in stdout stderr exit; do [ -f "$dir/$name.$s" ] && new=0; done
        { [ $new = 1 ] || [ -f "$dir/$name.stdout" ]; } && cp "$tmp/out" "$dir/$name.stdout"
        { [ $new = 1 ] || [ -f "$dir/$name.stderr" ]; } && cp "$tmp/err" "$dir/$name.stderr"
        { [ $new = 1 ] || [ -f "$dir/$name.exit" ]; } && echo "$code" >"$dir/$name.exit"
        pass=$((pass + 1))
        continue
    fi
    ok=1
    if [ -f "$dir/$name.exit" ] && [ "$code" != "$(cat "$dir/$name.exit")" ]; then
        echo "cli $name: exit status $code, expected $(cat "$dir/$name.exit")"; ok=0
    fi
    if [ "$code" = 99 ]; then
        echo "cli $name: valgrind found errors:"; cat "$tmp/err"; ok=0
    fi
    for s in stdout stderr; do
        f=$tmp/out; [ $s = stderr ] && f=$tmp/err
        if [ -f "$dir/$name.$s" ] && ! cmp -s "$dir/$name.$s" "$f"; then
            echo "cli $name: $s differs ($(grep '^#' "$args" | head -1)):"
            diff -u "$dir/$name.$s" "$f" | head -20; ok=0
        fi
    done
    if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
if [ $regen = 1 ]; then
    echo "cli: $pass cases written; review them with git diff $dir"
    exit 0
fi
echo "cli: $pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
