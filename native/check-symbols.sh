#!/usr/bin/env bash
# Checks a built weft_kernels.fatbin: it holds sm_80 and sm_90 cubins and compute_90 PTX, each
# with exactly the kernels ABI.md names (none missing, none undocumented).
#
#   check-symbols.sh [FATBIN]     (default: target/classes/org/weft/native/weft_kernels.fatbin)
#
# Where cuobjdump exists (the GPU machine), `cuobjdump --list-elf --list-ptx FATBIN` and
# `cuobjdump -symbols FATBIN` show the same from NVIDIA's side.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
fatbin=${1:-$here/target/classes/org/weft/native/weft_kernels.fatbin}
python3 "$here/tools/fatbin.py" check "$fatbin" "$here/ABI.md" sm_80 sm_90 compute_90
