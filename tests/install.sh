#!/bin/sh
# make install into a staging folder puts exactly the listed files there
# (the binary, the man page, bash and zsh completion), the installed binary
# runs, and make uninstall removes every one of them.
#   sh tests/install.sh MAKE
make=${1:-make}
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
fail=0
$make -s install DESTDIR="$stage" PREFIX=/usr >/dev/null 2>&1 || { echo "install: make install failed"; exit 1; }
got=$(cd "$stage" && find . -type f | sort | tr '\n' ' ')
want="./usr/bin/perfleak ./usr/share/bash-completion/completions/perfleak ./usr/share/man/man1/perfleak.1 ./usr/share/zsh/vendor-completions/_perfleak "
if [ "$got" != "$want" ]; then
    echo "install: installed $got, expected $want"; fail=1
fi
"$stage/usr/bin/perfleak" --version | grep -q '^perfleak ' || { echo "install: the installed binary does not run"; fail=1; }
$make -s uninstall DESTDIR="$stage" PREFIX=/usr >/dev/null 2>&1 || { echo "install: make uninstall failed"; fail=1; }
left=$(cd "$stage" && find . -type f | wc -l)
[ "$left" = 0 ] || { echo "install: $left file(s) left after make uninstall"; fail=1; }
if [ $fail = 0 ]; then
    echo "install: make install and uninstall, exactly the listed files"
else
    exit 1
fi
