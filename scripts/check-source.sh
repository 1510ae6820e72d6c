#!/usr/bin/env bash
# Source checks run by CI: banned functions and clang-format cleanliness.
set -euo pipefail
cd "$(dirname "$0")/.."

files=$(git ls-files --cached --others --exclude-standard -- 'src/*.c' 'src/*.h' \
	'include/*.h' 'tests/*.c' 'tests/*.h' | while read -r f; do [ -f "$f" ] && echo "$f"; done)
status=0

# Banned functions (conventions.md, "Memory"). A call is the name followed
# by "(" and not preceded by an identifier character, "." or "->".
banned='atoi|atol|strcpy|strcat|sprintf|vsprintf|gets|strtok|gmtime|localtime|rand|system|popen|tmpnam'
hits=$(grep -nE "(^|[^A-Za-z0-9_.>])($banned)[[:space:]]*\(" $files /dev/null \
	| grep -vE '^\S+:[0-9]+:\s*(\*|//)' || true)
if [ -n "$hits" ]; then
	echo "banned functions used:" >&2
	echo "$hits" >&2
	status=1
fi

# Formatting: clang-format must leave every file unchanged.
unformatted=""
for f in $files; do
	if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
		unformatted="$unformatted $f"
	fi
done
if [ -n "$unformatted" ]; then
	echo "not clang-formatted (run: clang-format -i <file>):$unformatted" >&2
	status=1
fi
[ $status -eq 0 ] && echo "source checks: ok"
exit $status
