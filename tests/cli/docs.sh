#!/bin/sh
# docs.sh BIN TESTS_DIR - the documentation keeps up with the code: every key
# of the config parser's tables (src/config/config.c) is in conf/feedmerge.ini
# (as "key =" or ";key =" inside a section of its kind) and in
# doc/feedmerge.ini.5 (under its section's heading), and neither documents a
# key the parser refuses; every command of src/cli/main.c and every long
# option of src/cli/*.c is in doc/feedmerge.1, and each command's --help
# names no option the page lacks; both pages format without a groff warning.
# Needs /usr/bin/python3 and groff (Debian: groff-base).
set -u
bin=$1
src=$(cd "$2/.." && pwd)
for tool in /usr/bin/python3 groff; do
	command -v "$tool" >/dev/null 2>&1 ||
		{ echo "FAIL $tool is not installed (tools/deps --test installs it)"; exit 1; }
done
fail=0
for page in "$src/doc/feedmerge.1" "$src/doc/feedmerge.ini.5"; do
	if ! out=$(groff -man -Tutf8 -ww -z "$page" 2>&1) || [ -n "$out" ]; then
		echo "FAIL groff -ww ${page##*/}:"; echo "$out" | head -n 20; fail=1
	fi
done
/usr/bin/python3 - "$src" "$bin" <<'EOF' || fail=1
import re, subprocess, sys

src, binary = sys.argv[1], sys.argv[2]
fails = []

def read(path):
    with open(f"{src}/{path}", encoding="utf-8") as f:
        return f.read()

# The parser's key tables, and which section word each table belongs to.
config_c = read("src/config/config.c")
tables = {}
for name, body in re.findall(r"static const config_key (\w+)\[\] = \{(.*?)\n\};", config_c, re.S):
    tables[name] = re.findall(r"KEY(?:_AT|_RE)?\(\w+, (\w+)[,)]", body)
kinds = dict(re.findall(r'\{ "(\w+)", SEC_\w+, [01], (\w+) \}', config_c))
if set(kinds) != {"feedmerge", "dedup", "output", "feed"} or not all(tables.get(t) for t in kinds.values()):
    sys.exit(f"FAIL cannot read the key tables of src/config/config.c: {kinds} {tables}")
keys = {word: set(tables[t]) for word, t in kinds.items()}
if sum(len(k) for k in keys.values()) < 20:
    sys.exit(f"FAIL only {sum(len(k) for k in keys.values())} keys read from src/config/config.c")

# conf/feedmerge.ini: "key =" or ";key =" lines, by the kind of section they sit in.
ini = {word: set() for word in keys}
word = None
for line in read("conf/feedmerge.ini").splitlines():
    m = re.match(r"\[(\w+)[^\]]*\]", line)
    if m:
        word = m.group(1)
        continue
    m = re.match(r"[;#]?(\w+) *[=:]", line)
    if m and word in ini:
        ini[word].add(m.group(1))

# doc/feedmerge.ini.5: '.BI "key = "' entries under "THE [word ...] SECTION".
page5 = read("doc/feedmerge.ini.5")
man5 = {}
for head, body in re.findall(r'^\.SH "?THE \[(\w+)[^\]]*\] SECTION"?\n(.*?)(?=^\.SH )', page5, re.S | re.M):
    man5[head] = set(re.findall(r'^\.BI "(\w+) = "', body, re.M))

for word in sorted(keys):
    for where, documented in (("conf/feedmerge.ini", ini), ("doc/feedmerge.ini.5", man5)):
        have = documented.get(word, set())
        for k in sorted(keys[word] - have):
            fails.append(f"{where}: [{word}] {k} is accepted by the parser but not documented")
        for k in sorted(have - keys[word]):
            fails.append(f"{where}: [{word}] {k} is documented but the parser refuses it")

# The commands and their options.
page1 = read("doc/feedmerge.1")
main_c = read("src/cli/main.c")
commands = re.findall(r'\{ "([\w-]+)", cli_\w+, cli_\w+_help \}', main_c)
if len(commands) < 8:
    fails.append(f"src/cli/main.c: only {len(commands)} commands read: {commands}")
sections = dict(re.findall(r"^\.SH ([A-Z ]+)\n(.*?)(?=^\.SH |\Z)", page1, re.S | re.M))
listed = set(re.findall(r"^\.TP\n\.B ([a-z][\w\\-]*)\n", sections.get("COMMANDS", ""), re.M))
listed = {c.replace("\\-", "-") for c in listed}
synopsis = {c.replace("\\-", "-") for c in re.findall(r"^\.SY feedmerge\n\.B ([\w\\-]+)", sections.get("SYNOPSIS", ""), re.M)}
for c in commands + ["help"]:
    if c not in listed:
        fails.append(f"doc/feedmerge.1: command {c} has no entry under COMMANDS")
    if c not in synopsis:
        fails.append(f"doc/feedmerge.1: command {c} is missing from the SYNOPSIS")
for c in sorted(listed - set(commands) - {"help"}):
    fails.append(f"doc/feedmerge.1: documents a command {c} that src/cli/main.c lacks")

page1_text = page1.replace("\\-", "-")
options = set()
for path in ("check_json.c", "cmd_check.c", "cmd_clusters.c", "cmd_daemon.c", "cmd_opml.c",
             "cmd_parse.c", "cmd_run.c", "cmd_status.c", "main.c"):
    options |= set(re.findall(r'\{ "([\w-]+)", (?:no|required)_argument,', read(f"src/cli/{path}")))
    options |= set(re.findall(r'strcmp\(argv\[1\], "--([\w-]+)"\)', read(f"src/cli/{path}")))
if len(options) < 15:
    fails.append(f"src/cli: only {len(options)} long options read: {sorted(options)}")
for o in sorted(options):
    if not re.search(rf"--{re.escape(o)}(?![\w-])", page1_text):
        fails.append(f"doc/feedmerge.1: option --{o} is not documented")

# What each command's --help names, the page names too.
for c in commands:
    r = subprocess.run([binary, "help", c], capture_output=True, text=True)
    if r.returncode != 0:
        fails.append(f"feedmerge help {c}: exit {r.returncode}")
    for o in sorted(set(re.findall(r"(?<![\w-])(--[\w-]+|-[a-zA-Z])\b", r.stdout))):
        if not re.search(rf"(?<![\w-]){re.escape(o)}(?![\w-])", page1_text):
            fails.append(f"doc/feedmerge.1: 'feedmerge help {c}' names {o}, the page does not")

for f in fails:
    print("FAIL " + f)
n = sum(len(k) for k in keys.values())
print(f"docs: {n} config keys, {len(commands)} commands, {len(options)} long options checked; {len(fails)} problems")
sys.exit(1 if fails else 0)
EOF
exit $fail
