#!/bin/sh
# install.sh BIN TESTS_DIR - `cmake --install` into a temporary prefix: the
# files that land (and nothing else), the installed program run on the
# installed example config, the manual pages through groff without a
# warning, the systemd unit and crontab line naming the installed binary,
# and a C program built against the installed headers and libfeedmerge.a
# with nothing but `pkg-config --static --cflags --libs feedmerge`.
# Needs cmake, pkg-config, a C compiler, groff (Debian: groff-base) and
# systemd-analyze (Debian: systemd).
set -u
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
build=$(cd "$(dirname "$bin")" && pwd)
src=$(cd "$2/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

# bad MESSAGE: records a failure.
bad() {
	echo "FAIL $*"
	fail=1
}

# show FILE: its first 20 lines, indented.
show() {
	head -n 20 "$1" | sed 's/^/  | /'
}

cache=$build/CMakeCache.txt
[ -f "$cache" ] || { echo "FAIL no $cache: BIN must sit in its CMake build directory"; exit 1; }
# cached NAME DEFAULT: a value of the build's CMake cache, or DEFAULT when it is empty.
cached() {
	v=$(sed -n "s/^$1:[A-Z]*=//p" "$cache" | head -n 1)
	echo "${v:-$2}"
}
cc=$(cached CMAKE_C_COMPILER cc)
for tool in cmake pkg-config groff systemd-analyze "$cc"; do
	command -v "$tool" >/dev/null 2>&1 ||
		{ echo "FAIL $tool is not installed (tools/deps --test installs it)"; exit 1; }
done

prefix=$(cd "$tmp" && pwd -P)/prefix
if ! cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1; then
	bad "cmake --install:"; show "$tmp/install.log"
	exit 1
fi

# The layout, as GNUInstallDirs gives it for this build.
bindir=$prefix/$(cached CMAKE_INSTALL_BINDIR bin)
libdir=$prefix/$(cached CMAKE_INSTALL_LIBDIR lib)
incdir=$prefix/$(cached CMAKE_INSTALL_INCLUDEDIR include)/feedmerge
mandir=$prefix/$(cached CMAKE_INSTALL_MANDIR share/man)
docdir=$prefix/$(cached CMAKE_INSTALL_DOCDIR share/doc/feedmerge)
ex=$docdir/examples

# Exactly these files, no test or fuzz binary among them.
{
	echo "$bindir/feedmerge"
	echo "$libdir/libfeedmerge.a"
	echo "$libdir/pkgconfig/feedmerge.pc"
	echo "$mandir/man1/feedmerge.1"
	echo "$mandir/man5/feedmerge.ini.5"
	for h in "$src"/include/feedmerge/*.h; do echo "$incdir/${h##*/}"; done
	echo "$incdir/version.h"
	echo "$docdir/README.md"
	echo "$docdir/LICENSE"
	for f in README.md feedmerge.ini feedmerge.service feedmerge.timer feedmerge.cron \
		feeds/daily-ledger.atom feeds/harbour-times.rss; do
		echo "$ex/$f"
	done
} | sort >"$tmp/want"
find "$prefix" -type f | sort >"$tmp/got"
if ! cmp -s "$tmp/want" "$tmp/got"; then
	bad "installed files differ from the expected ones (< missing, > extra):"
	diff "$tmp/want" "$tmp/got" | grep '^[<>]' | sed "s|$prefix/||; s/^/  | /"
fi
[ -x "$bindir/feedmerge" ] || bad "$bindir/feedmerge is not executable"
# Install-time placeholders must all be filled in.
if grep -rl '@[A-Z_]*@' "$ex" "$libdir/pkgconfig" "$incdir/version.h" >"$tmp/left" 2>/dev/null; then
	bad "unfilled @VARIABLE@ in:"; show "$tmp/left"
fi

# The installed program is the one built, and works on the installed example.
want_version=$("$bin" --version)
got_version=$("$bindir/feedmerge" --version 2>&1)
[ "$got_version" = "$want_version" ] ||
	bad "installed --version: '$got_version', want '$want_version'"
case $want_version in "feedmerge $(cached CMAKE_PROJECT_VERSION '?')") ;;
*) bad "--version '$want_version' is not the project's version $(cached CMAKE_PROJECT_VERSION '?')" ;;
esac
if ! "$bindir/feedmerge" check -c "$ex/feedmerge.ini" >"$tmp/check" 2>&1; then
	bad "check on the installed example:"; show "$tmp/check"
fi
grep -q "state *= $ex/feedmerge.db\$" "$tmp/check" ||
	bad "check: the example's state is not beside it in $ex"
if ! "$bindir/feedmerge" run -q -c "$ex/feedmerge.ini" >"$tmp/run" 2>&1; then
	bad "run on the installed example (its feeds are file: URLs beside it):"
	show "$tmp/run"
fi
"$bindir/feedmerge" parse --summary "$ex/feeds/daily-ledger.atom" "$ex/feeds/harbour-times.rss" \
	"$ex/out/world.atom" >"$tmp/summary" 2>&1 || bad "parse --summary of the installed feeds and the output"
# path format items bytes result: both feeds and the merged output parse cleanly.
awk -F '\t' -v out="$ex/out/world.atom" '
	$5 != "ok" || $3 < 1 { print "FAIL parse --summary: " $0; bad = 1 }
	$1 == out { merged = $3 } $1 != out { sum += $3 }
	END {
		if (NR != 3) { print "FAIL parse --summary printed " NR " lines, want 3"; bad = 1 }
		else if (merged >= sum) { print "FAIL the merged output has " merged " entries for " sum " items: nothing merged"; bad = 1 }
		exit bad
	}' "$tmp/summary" || fail=1

# The systemd unit and the crontab line run the binary that was installed.
exec_start=$(sed -n 's/^ExecStart=\([^ ]*\) .*/\1/p' "$ex/feedmerge.service")
[ "$exec_start" = "$bindir/feedmerge" ] ||
	bad "feedmerge.service: ExecStart runs '$exec_start', want $bindir/feedmerge"
# systemd itself accepts the unit and its timer (and finds ExecStart executable).
if ! (cd "$ex" && systemd-analyze verify ./feedmerge.service ./feedmerge.timer) >"$tmp/verify" 2>&1 ||
	[ -s "$tmp/verify" ]; then
	bad "systemd-analyze verify feedmerge.service feedmerge.timer:"; show "$tmp/verify"
fi
cron_bin=$(awk '!/^#/ && NF { print $6; exit }' "$ex/feedmerge.cron")
[ "$cron_bin" = "$bindir/feedmerge" ] ||
	bad "feedmerge.cron runs '$cron_bin', want $bindir/feedmerge"

# Staged with DESTDIR (as packagers do), the files name the configured prefix instead.
conf_prefix=$(cached CMAKE_INSTALL_PREFIX /usr/local)
if DESTDIR=$tmp/stage cmake --install "$build" >"$tmp/stage.log" 2>&1; then
	staged=$tmp/stage$conf_prefix/${ex#"$prefix"/}/feedmerge.service
	exec_start=$(sed -n 's/^ExecStart=\([^ ]*\) .*/\1/p' "$staged" 2>/dev/null)
	[ "$exec_start" = "$conf_prefix/${bindir#"$prefix"/}/feedmerge" ] ||
		bad "DESTDIR install: $staged runs '$exec_start', want it under $conf_prefix"
	pc_prefix=$(sed -n 's/^prefix=//p' "$tmp/stage$conf_prefix/${libdir#"$prefix"/}/pkgconfig/feedmerge.pc")
	[ "$pc_prefix" = "$conf_prefix" ] || bad "DESTDIR install: feedmerge.pc prefix=$pc_prefix, want $conf_prefix"
else
	bad "DESTDIR=... cmake --install:"; show "$tmp/stage.log"
fi

# The manual pages format without a single warning.
for page in "$mandir/man1/feedmerge.1" "$mandir/man5/feedmerge.ini.5"; do
	if ! groff -man -Tutf8 -ww -z "$page" >"$tmp/groff" 2>&1 || [ -s "$tmp/groff" ]; then
		bad "groff -ww ${page##*/}:"; show "$tmp/groff"
	fi
done

# A program against the installed library, through pkg-config alone.
export PKG_CONFIG_PATH="$libdir/pkgconfig"
pc_version=$(pkg-config --modversion feedmerge 2>&1)
[ "feedmerge $pc_version" = "$want_version" ] || bad "pkg-config --modversion: '$pc_version'"
pc_prefix=$(pkg-config --variable=prefix feedmerge)
[ "$pc_prefix" = "$prefix" ] || bad "feedmerge.pc: prefix=$pc_prefix, want the install prefix $prefix"
if ! flags=$(pkg-config --static --cflags --libs feedmerge 2>"$tmp/pc.err"); then
	bad "pkg-config --static --cflags --libs feedmerge:"; show "$tmp/pc.err"
	exit 1
fi
# A sanitizer build's library cannot link without the sanitizer runtimes: the .pc must say so.
if [ "$(cached FEEDMERGE_SANITIZE OFF)" = ON ]; then
	case " $flags " in *" -fsanitize=address,undefined "*) ;;
	*) bad "FEEDMERGE_SANITIZE=ON but feedmerge.pc's Libs lack -fsanitize=address,undefined: $flags" ;;
	esac
fi
# Every public header stands alone in strict C11.
for h in "$incdir"/*.h; do
	printf '#include <feedmerge/%s>\n#include <feedmerge/%s>\nint fm_x(void);\nint fm_x(void) { return 0; }\n' \
		"${h##*/}" "${h##*/}" >"$tmp/hdr.c"
	# shellcheck disable=SC2046
	"$cc" -std=c11 -Wall -Wextra -pedantic -Werror $(pkg-config --cflags feedmerge) \
		-c "$tmp/hdr.c" -o "$tmp/hdr.o" >"$tmp/hdr.err" 2>&1 ||
		{ bad "installed header ${h##*/} does not compile on its own:"; show "$tmp/hdr.err"; }
done
cat >"$tmp/count.c" <<'EOF'
/* Parses the feed named on the command line through the installed library,
 * pushing it in 7-byte chunks, and prints the version and the item count. */
#include <feedmerge/parse.h>
#include <feedmerge/version.h>
#include <stdio.h>

static int
on_item(const fm_item *item, void *payload)
{
	(void)item;
	++*(size_t *)payload;
	return 0;
}

int
main(int argc, char **argv)
{
	char chunk[7];
	fm_parser *p;
	size_t n, seen = 0;
	FILE *f;
	int rc;

	if (argc != 2 || !(f = fopen(argv[1], "rb")))
		return 2;
	if (fm_parser_new(&p, NULL, on_item, NULL, &seen) < 0)
		return 2;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		fm_parser_push(p, chunk, n);
	fclose(f);
	rc = fm_parser_finish(p);
	printf("%s %d %zu %zu\n", FEEDMERGE_VERSION, rc, seen, fm_parser_result(p)->items);
	fm_parser_free(p);
	return 0;
}
EOF
# shellcheck disable=SC2086
if ! "$cc" -std=c11 -Wall -Wextra -Werror -o "$tmp/count" "$tmp/count.c" $flags >"$tmp/cc.err" 2>&1; then
	bad "cc count.c \$(pkg-config --static --cflags --libs feedmerge):"; show "$tmp/cc.err"
else
	{
		echo '<?xml version="1.0" encoding="utf-8"?>'
		echo '<rss version="2.0"><channel><title>t</title><link>https://t.example/</link><description>d</description>'
		for i in 1 2 3 4 5; do
			echo "<item><guid>g$i</guid><title>Item $i &amp; more</title><description>&lt;p&gt;text $i&lt;/p&gt;</description></item>"
		done
		echo '</channel></rss>'
	} >"$tmp/five.rss"
	got=$("$tmp/count" "$tmp/five.rss" 2>&1)
	want="${want_version#feedmerge } 0 5 5"
	[ "$got" = "$want" ] || bad "count five.rss: '$got', want '$want' (version, finish status, items seen, items counted)"
	# The same as the installed command line says.
	cli=$("$bindir/feedmerge" parse --summary "$tmp/five.rss" | cut -f 3)
	[ "$cli" = 5 ] || bad "installed parse --summary counts $cli items in five.rss, want 5"
fi

[ $fail = 0 ] && echo "install: ok"
exit $fail
