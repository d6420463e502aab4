#!/usr/bin/env bash
# Runs on the lent GPU machine, from the repository root, with the folder bench/gpu/pack.sh
# made carried along: prints the GPU and driver, finds the CUDA libraries, then runs
# `weft info` and the GPU suite of the cuda module. Writes report.txt and the JUnit XML
# reports under $OUT (or /tmp/weft-gpu-out). Builds nothing: the device has no Java or Maven.
# Usage: bench/gpu/run-on-device.sh [packed folder]
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
pack="${1:-$root/bench/gpu/target/weft-gpu}"
out="${OUT:-/tmp/weft-gpu-out}"
mkdir -p "$out"
exec > >(tee "$out/report.txt") 2>&1

section() { echo; echo "== $*"; }

section "GPU and driver"
nvidia-smi || echo "nvidia-smi failed (no driver?)"
ldd --version 2>&1 | head -1

work="$(mktemp -d)"
tar -xzf "$pack/jre.tar.gz" -C "$work"
java="$work/jre/bin/java"
"$java" -version 2>&1 | head -1

section "CUDA libraries"
# The driver's libcuda.so.1 is on the linker's path already; the runtime, NVRTC, cuBLAS and cuDNN
# come from the toolkit and from PyTorch's pip packages (site-packages/nvidia/*/lib).
libdirs="$(find / -xdev \( -path /proc -o -path /sys -o -path "$work" \) -prune -o -type f \
    \( -name 'libcudart.so.13*' -o -name 'libnvrtc.so.13*' -o -name 'libnvrtc-builtins.so.13*' \
       -o -name 'libcublas.so.13*' -o -name 'libcublasLt.so.13*' -o -name 'libcudnn.so.9*' \) \
    -print 2>/dev/null | xargs -r -n1 dirname | sort -u | paste -sd: -)"
echo "LD_LIBRARY_PATH += $libdirs"
export LD_LIBRARY_PATH="$libdirs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

# A fresh JavaCPP cache per run: a stale one keeps links to old libraries.
jopts=(--add-modules jdk.incubator.vector -Xss8m -Xmx8g "-Dorg.bytedeco.javacpp.cachedir=$work/javacpp-cache")
if "$java" -version 2>&1 | grep -q 'version "2[0-9]'; then
    jopts+=(--enable-native-access=ALL-UNNAMED)
fi

section "weft info"
"$java" "${jopts[@]}" -jar "$pack/lib/weft.jar" info
info_rc=$?

section "GPU suite (org.weft.tensor.cuda)"
# weft.requireGpu: here a GPU that the probe cannot use fails the suite instead of skipping it.
"$java" "${jopts[@]}" -Dweft.requireGpu=true -jar "$pack"/lib/junit-platform-console-standalone-*.jar execute \
    --class-path "$pack/lib/weft.jar:$pack/lib/weft-cuda-tests.jar" \
    --select-package org.weft.tensor.cuda --details=tree --disable-banner --reports-dir "$out/junit"
tests_rc=$?

section "summary"
echo "weft info exit $info_rc; tests exit $tests_rc"
rm -rf "$work"
[ "$info_rc" = 0 ] && [ "$tests_rc" = 0 ]
