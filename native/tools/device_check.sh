#!/usr/bin/env bash
# Every check of the native module that needs the GPU machine, in one command (device time is
# scarce). Run from the repository root on the lent machine, with the fat binary built here and
# carried (`carry: ["native/target/classes"]`, about 25 MiB):
#
#   bash native/tools/device_check.sh
#
# Writes native-check.txt under $OUT (or /tmp/weft-native-check): the GPU and driver,
# cuobjdump's view of the fat binary, NVRTC compiling every source, kernel_check.py (kernels
# against PyTorch), then kernel_check.py again under compute-sanitizer memcheck.
# Not yet run: written on a machine without a GPU.
set -uo pipefail
out=${OUT:-/tmp/weft-native-check}
mkdir -p "$out"
fatbin=native/target/classes/org/weft/native/weft_kernels.fatbin
nvrtc=$(find / -name 'libnvrtc.so.13*' -not -path '/proc/*' 2>/dev/null | head -1)
step() { echo; echo "== $*"; }
{
    step "GPU"
    nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv
    step "fat binary images (cuobjdump)"
    cuobjdump --list-elf --list-ptx "$fatbin"
    step "kernel symbols per image (cuobjdump -symbols), then against ABI.md"
    cuobjdump -symbols "$fatbin" | grep -c 'weft_'
    python3 native/tools/fatbin.py check "$fatbin" native/ABI.md sm_80 sm_90 compute_90
    step "NVRTC ($nvrtc)"
    python3 native/tools/nvrtc_check.py --lib "$nvrtc" --arch sm_90
    step "kernels against PyTorch"
    python3 native/tools/kernel_check.py "$fatbin"
    step "compute-sanitizer memcheck"
    compute-sanitizer --tool memcheck --print-limit 20 python3 native/tools/kernel_check.py "$fatbin" | tail -40
} 2>&1 | tee "$out/native-check.txt"
