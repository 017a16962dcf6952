#!/bin/sh
# golden.sh BIN SRCDIR [--update] - `feedmerge parse --json` against golden files.
#
# Each input tests/golden/NAME.{xml,rss,atom,json,html,txt} has NAME.expected
# beside it (json-c's convention): the exact standard output of
#     feedmerge parse --json [ARGS] NAME.EXT
# followed by one line "exit: N" with the exit status. ARGS, when needed,
# are the words of NAME.args (one line, no quoting). With --update the
# expected files are rewritten from the current binary instead: for a
# human to run, and to read the diff of, after checking every change.
set -u
bin=$1
src=$2
update=${3:-}
dir=$src/golden
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
count=0

for input in "$dir"/*; do
	case $input in
	*.expected | *.args) continue ;;
	esac
	[ -f "$input" ] || continue
	name=${input%.*}
	args=
	if [ -f "$name.args" ]; then
		args=$(cat "$name.args")
	fi
	# $args is split into words on purpose.
	# shellcheck disable=SC2086
	"$bin" parse --json $args "$input" >"$tmp/out" 2>"$tmp/err"
	status=$?
	echo "exit: $status" >>"$tmp/out"
	count=$((count + 1))
	if [ "$update" = "--update" ]; then
		if ! cmp -s "$tmp/out" "$name.expected"; then
			cp "$tmp/out" "$name.expected"
			echo "updated ${name##*/}.expected"
		fi
		continue
	fi
	if [ ! -f "$name.expected" ]; then
		echo "FAIL ${input##*/}: no ${name##*/}.expected (run: sh $0 BIN SRCDIR --update)"
		fail=1
	elif ! diff -u "$name.expected" "$tmp/out" >"$tmp/diff"; then
		echo "FAIL ${input##*/}: output differs from ${name##*/}.expected:"
		cat "$tmp/diff"
		sed 's/^/  stderr| /' "$tmp/err"
		fail=1
	fi
done

if [ "$count" -eq 0 ]; then
	echo "FAIL: no golden inputs in $dir"
	exit 1
fi
[ "$fail" -eq 0 ] && echo "ok: $count golden files"
exit $fail
