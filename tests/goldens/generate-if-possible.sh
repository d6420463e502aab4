#!/usr/bin/env bash
# Called by the Maven build of tests/: (re)generates the default goldens when PyTorch is
# available and they are stale. Without the oracle it only warns; the conformance test then
# skips, or fails when CI=true.
set -euo pipefail
out="$1"
here="$(cd "$(dirname "$0")" && pwd)"
if [ ! -x /usr/bin/python3 ]; then
    echo "WARNING: /usr/bin/python3 not found; PyTorch goldens not generated" >&2
    exit 0
fi
status=0
/usr/bin/python3 "$here/generate.py" --seed 0 --out "$out" --if-stale || status=$?
if [ "$status" -eq 3 ]; then
    echo "WARNING: PyTorch not installed for /usr/bin/python3; goldens not generated" >&2
    exit 0
fi
if [ "$status" -eq 0 ]; then
    /usr/bin/python3 "$here/fixtures.py" --seed 0 --out "$out" --if-stale || status=$?
fi
exit "$status"
