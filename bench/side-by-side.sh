#!/usr/bin/env bash
# Weft against PyTorch on the same workloads, the same machine and the same number of threads,
# in one command: F32 GEMM (512, 1024, 2048) and ResNet-50, GoogLeNet and Swin-T forward
# (eval, batch 8, 224 px) and training step (forward + cross-entropy + backward, batch 8).
#
# Weft's side is org.weft.bench.SideBySide (bench/src/main/java/org/weft/bench/), PyTorch's is
# bench/torch_side.py; both build the workloads alike and time them with the same protocol
# (Timing.java: warm-up, then repetitions of at least 0.25 s). The sides are interleaved
# workload by workload, and the side that goes first alternates from round to round, so a burst
# of load from something else on the machine tends to hit both alike. Each process times one
# workload and exits, so neither side's leftovers weigh on the next.
#
# Usage: bench/side-by-side.sh [--threads T] [--warmup W] [--reps N] [--rounds R] [--only REGEX]
#                              [--quick] [--heap SIZE] [--no-build] [--keep DIR] [--roofline] [--list]
#   --threads T   threads of each side (default: nproc): WEFT_NUM_THREADS for Weft;
#                 torch.set_num_threads, OMP_NUM_THREADS and OPENBLAS_NUM_THREADS for PyTorch
#   --warmup W    warm-up calls per process (default 2; at least 3 s of them)
#   --reps N      timed repetitions per process (default 5)
#   --rounds R    how many times to run every workload on each side (default 1); the table
#                 pools the repetitions of all rounds
#   --only REGEX  only the workloads whose name matches (grep -E), e.g. 'gemm' or 'train'
#   --quick       a check that everything runs: --warmup 1 --reps 2
#   --heap SIZE   Weft's JVM -Xmx (default 8g)
#   --no-build    use bench/target/benchmarks.jar as it is
#   --keep DIR    also write the raw JSON lines of both sides to DIR/results.jsonl
#   --roofline    also measure the machine's F32 multiply-add peak and memory bandwidth
#                 (org.weft.bench.MachinePeak), count each workload's matrix-product and
#                 convolution operations (torch_side.py --flops), and print each side's
#                 GFLOP/s and its share of the measured peak
#   --list        print the workload names and exit
# Needs a python3 with torch and torchvision (TORCH_PYTHON, else the first of python3 and
# /usr/bin/python3 that imports them). A full run takes about 15-30 minutes on 2 cores.
set -euo pipefail

bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_dir="$(dirname "$bench_dir")"
jar="$bench_dir/target/benchmarks.jar"

threads="$(nproc)"
warmup=2
reps=5
rounds=1
only=""
heap=8g
build=1
keep=""
roofline=0
list=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --threads) threads="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --reps) reps="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    --quick) warmup=1; reps=2; shift ;;
    --heap) heap="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --keep) keep="$2"; shift 2 ;;
    --roofline) roofline=1; shift ;;
    --list) list=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | grep '^#' | cut -c3-; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

# The Python that has torch and torchvision: TORCH_PYTHON if given, else the first candidate
# that imports both (a virtualenv's python3 on PATH may lack them while the system one has them).
python="${TORCH_PYTHON:-}"
if [[ -z "$python" ]]; then
  for candidate in python3 /usr/bin/python3; do
    if "$candidate" -c 'import torch, torchvision' >/dev/null 2>&1; then
      python="$candidate"
      break
    fi
  done
fi
if [[ -z "$python" ]]; then
  echo "no python3 with torch and torchvision found; set TORCH_PYTHON" >&2
  exit 1
fi

workloads=()
while IFS= read -r name; do
  if [[ -z "$only" ]] || grep -qE -- "$only" <<<"$name"; then
    workloads+=("$name")
  fi
done < <("$python" "$bench_dir/torch_side.py" --list)
if [[ $list -eq 1 ]]; then
  printf '%s\n' "${workloads[@]}"
  exit 0
fi
if [[ ${#workloads[@]} -eq 0 ]]; then
  echo "no workload matches '$only'; the workloads are:" >&2
  "$python" "$bench_dir/torch_side.py" --list >&2
  exit 2
fi

if [[ $build -eq 1 ]]; then
  echo "building $jar ..." >&2
  (cd "$repo_dir" && mvn -q -B -o package -pl bench -am -DskipTests)
elif [[ ! -f "$jar" ]]; then
  echo "$jar is missing; run without --no-build" >&2
  exit 1
fi

work_dir="$(mktemp -d)"
trap 'rm -rf "$work_dir"' EXIT
results="$work_dir/results.jsonl"
: >"$results"

run_weft() {
  WEFT_NUM_THREADS="$threads" java --add-modules jdk.incubator.vector -Xss8m "-Xmx$heap" \
    -cp "$jar" org.weft.bench.SideBySide --warmup "$warmup" --reps "$reps" "$1" 2>"$work_dir/err"
}
run_torch() {
  OMP_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads" \
    "$python" "$bench_dir/torch_side.py" --threads "$threads" --warmup "$warmup" --reps "$reps" "$1" \
    2>"$work_dir/err"
}
# Runs one side on one workload, appends its JSON line to the results and says how it went;
# a failure is reported and leaves that cell of the table empty, the other workloads still run.
run_side() {
  local side="$1" workload="$2" line
  if line="$("run_$side" "$workload" | grep '^{')"; then
    echo "$line" >>"$results"
    echo "  $side $(sed -E 's/.*"median_ms": ([0-9.]+).*/\1/' <<<"$line") ms" >&2
  else
    echo "  $side FAILED on $workload:" >&2
    grep -v '^WARNING: Using incubator modules' "$work_dir/err" | tail -n 20 >&2
    failures=$((failures + 1))
  fi
}

failures=0
for ((round = 1; round <= rounds; round++)); do
  for workload in "${workloads[@]}"; do
    echo "round $round/$rounds  $workload" >&2
    if ((round % 2 == 1)); then
      run_side weft "$workload"
      run_side torch "$workload"
    else
      run_side torch "$workload"
      run_side weft "$workload"
    fi
  done
done

table_args=()
if [[ $roofline -eq 1 ]]; then
  echo "roofline: the machine's peaks, then each workload's operations" >&2
  WEFT_NUM_THREADS="$threads" java --add-modules jdk.incubator.vector -Xmx2g -cp "$jar" \
    org.weft.bench.MachinePeak 2>/dev/null | grep '^{' >"$work_dir/peak.json"
  "$python" "$bench_dir/torch_side.py" --flops "${workloads[@]}" | grep '^{' >"$work_dir/flops.jsonl"
  table_args+=(--peak "$work_dir/peak.json" --flops "$work_dir/flops.jsonl")
fi

machine="$(lscpu | sed -n 's/^Model name: *//p' | head -n 1), $(nproc) cores"
blas="$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || true)"
if [[ -n "$blas" ]]; then
  machine="$machine; PyTorch's BLAS $blas"
fi
echo
echo "# bench/side-by-side.sh --threads $threads --warmup $warmup --reps $reps --rounds $rounds${only:+ --only '$only'}"
"$python" "$bench_dir/side_by_side_table.py" --threads "$threads" --machine "$machine" \
  "${table_args[@]}" "$results"
if [[ -n "$keep" ]]; then
  mkdir -p "$keep"
  cp "$results" "$keep/results.jsonl"
  if [[ $roofline -eq 1 ]]; then
    cp "$work_dir/peak.json" "$work_dir/flops.jsonl" "$keep/"
  fi
fi
if [[ $failures -gt 0 ]]; then
  echo "# $failures run(s) failed, see above" >&2
  exit 1
fi
