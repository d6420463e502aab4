#!/usr/bin/env bash
# Checks that every kernel file compiles ON ITS OWN, as NVRTC will compile it at run time:
#  1. no file includes anything but "weft.cuh" (NVRTC has no host headers), and weft.cuh
#     includes nothing;
#  2. each .cu builds alone with nvcc -cubin for sm_90, warnings as errors.
# nvcc still pre-includes cuda_runtime.h, so (2) cannot prove the absence of a runtime-header
# dependency; (1) is what guards it. tools/nvrtc_check.py compiles with NVRTC itself where
# libnvrtc exists (the GPU machine). Slow (one nvcc per file): run by hand, not by Maven.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
nvcc=${NVCC:-nvcc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
if grep -n '#include' "$here/src/weft.cuh"; then
    echo "weft.cuh must include nothing"; status=1
fi
for f in "$here"/src/*.cu; do
    bad=$(grep -n '#include' "$f" | grep -v '#include "weft.cuh"' || true)
    if [ -n "$bad" ]; then
        echo "$(basename "$f"): includes something other than weft.cuh: $bad"; status=1
    fi
    if "$nvcc" -cubin -arch=sm_90 -O3 -std=c++17 -Werror all-warnings -I "$here/src" \
            -o "$tmp/$(basename "$f" .cu).cubin" "$f"; then
        echo "ok      $(basename "$f")"
    else
        echo "FAILED  $(basename "$f")"; status=1
    fi
done
exit $status
