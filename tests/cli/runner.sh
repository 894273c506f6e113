#!/usr/bin/env bash
# Runs one CLI test file: every function named t_* in it, each in a subshell
# inside a fresh scratch directory holding a copy of scripts/ and banks/.
# Prints "ok NAME" or "FAIL NAME" per test and a final RESULT line.
set -u
root=$(pwd)
export ROOT=$root
. "$root/tests/cli/lib.sh"
. "$1"
passed=0
failed=0
for t in $(declare -F | awk '{print $3}' | grep '^t_'); do
    dir=$(mktemp -d)
    cp -r "$root/scripts" "$root/banks" "$dir/"
    if (cd "$dir" && TEST_NAME=$t "$t" && [ ! -e "$dir/.failed" ]); then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL $t" >&2
    fi
    rm -rf "$dir"
done
echo "RESULT passed=$passed failed=$failed"
