#!/usr/bin/env bash
# Packs everything the lent GPU machine needs to run Weft (it has no Java and no network)
# into one git-ignored folder that a single `run` call carries:
#   jre.tar.gz              a jlink runtime of JDK 17 (compressed; unpacked on the device)
#   lib/weft.jar            the weft program with every runtime dependency, the CUDA presets included
#                           (and the kernels' fatbin, when the native build put it on the class path)
#   lib/weft-cuda-tests.jar the cuda module's tests: the GPU suite of the CUDA plumbing
#   lib/junit-platform-console-standalone-*.jar   runs those tests without Maven
# Usage: bench/gpu/pack.sh [output folder]   (default bench/gpu/target/weft-gpu, ignored by git)
# WEFT_JDK=/path/to/jdk picks another JDK to jlink (Temurin 25 needs only glibc 2.17; the
# Debian JDK 17 needs glibc 2.34 on the device). WEFT_PACK_DESKTOP=1 adds java.desktop (ImageIO).
# Then: run(carry=["bench/gpu/target/weft-gpu"], command="bench/gpu/run-on-device.sh")
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-$root/bench/gpu/target/weft-gpu}"
jdk="${WEFT_JDK:-/usr/lib/jvm/java-17-openjdk-amd64}"
# The JUnit Platform release that goes with the root pom's JUnit Jupiter 5.14.1.
junit_platform=1.14.1
limit_mib=64

# java.xml and jdk.zipfs: the JUnit console launcher writes XML reports and scans jars for tests.
modules="java.base,java.logging,jdk.unsupported,jdk.incubator.vector,java.management,java.xml,jdk.zipfs"
if [ "${WEFT_PACK_DESKTOP:-0}" = 1 ]; then
    modules="$modules,java.desktop"
fi

rm -rf "$out"
mkdir -p "$out/lib"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "pack: building weft.jar and the cuda tests ..." >&2
(cd "$root" && mvn -q -B -DskipTests package -pl recipes,cuda -am) >&2
cp "$root/recipes/target/weft.jar" "$out/lib/"
"$jdk/bin/jar" cf "$out/lib/weft-cuda-tests.jar" -C "$root/cuda/target/test-classes" .
(cd "$root" && mvn -q -B dependency:copy \
    -Dartifact="org.junit.platform:junit-platform-console-standalone:$junit_platform" \
    -DoutputDirectory="$out/lib") >&2

echo "pack: jlink $modules from $jdk ..." >&2
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=2 \
    --output "$tmp/jre"
tar -czf "$out/jre.tar.gz" -C "$tmp" jre

if unzip -l "$out/lib/weft.jar" 'org/weft/native/weft_kernels.fatbin' >/dev/null 2>&1; then
    echo "pack: kernels: the fatbin is in weft.jar" >&2
elif unzip -l "$out/lib/weft.jar" 'org/weft/native/src/*' >/dev/null 2>&1; then
    echo "pack: kernels: no fatbin; the .cu sources are in weft.jar (NVRTC compiles them on the device)" >&2
else
    echo "pack: kernels: none in this build (the GPU suite checks the plumbing with its own test kernel)" >&2
fi

size_kib=$(du -sk "$out" | cut -f1)
tree_kib=$(cd "$root" && git ls-files -z --cached --others --exclude-standard | xargs -0 du -ck 2>/dev/null | tail -1 | cut -f1)
echo "pack: $out is $((size_kib / 1024)) MiB; with the working tree $(((size_kib + tree_kib) / 1024)) MiB of the ${limit_mib} MiB a run carries" >&2
if [ $((size_kib + tree_kib)) -gt $((limit_mib * 1024)) ]; then
    echo "pack: too large to carry" >&2
    exit 1
fi
du -h "$out/jre.tar.gz" "$out"/lib/* >&2
