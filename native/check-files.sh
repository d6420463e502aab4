#!/usr/bin/env bash
# Checks that every kernel file compiles ON ITS OWN, as NVRTC will compile it at run time:
#  1. the .cu files include nothing but our headers "weft.cuh" and "weft_mma.cuh" (NVRTC has
#     no host headers), weft_mma.cuh includes only weft.cuh, and weft.cuh includes nothing;
#  2. each .cu builds alone with nvcc -cubin for sm_90, warnings as errors.
# nvcc still pre-includes cuda_runtime.h, so (2) cannot prove the absence of a runtime-header
# dependency; (1) is what guards it. tools/nvrtc_check.py compiles with NVRTC itself where
# libnvrtc exists (the GPU machine). Slow (one nvcc per file): run by hand, not by Maven.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$here/src
nvcc=${NVCC:-nvcc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

# includes_other FILE ALLOWED...: prints the #include lines of FILE not among ALLOWED
includes_other() {
    local file=$1; shift
    local line allowed ok
    { grep '#include' "$file" || true; } | while IFS= read -r line; do
        ok=0
        for allowed in "$@"; do [ "$line" = "#include \"$allowed\"" ] && ok=1; done
        [ $ok = 1 ] || echo "$line"
    done
}

for pair in "weft.cuh:" "weft_mma.cuh:weft.cuh"; do
    header=${pair%%:*}
    bad=$(includes_other "$src/$header" ${pair#*:})
    if [ -n "$bad" ]; then echo "$header includes $bad"; status=1; fi
done
for f in "$src"/*.cu; do
    name=$(basename "$f")
    bad=$(includes_other "$f" weft.cuh weft_mma.cuh)
    if [ -n "$bad" ]; then echo "$name includes $bad"; status=1; fi
    if "$nvcc" -cubin -arch=sm_90 -O3 -std=c++17 -Werror all-warnings -I "$src" -o "$tmp/$name.cubin" "$f"; then
        echo "ok      $name"
    else
        echo "FAILED  $name"; status=1
    fi
done
exit $status
