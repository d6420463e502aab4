#!/usr/bin/env bash
# Weft's F32 GEMM against PyTorch's torch.matmul, side by side, on this machine.
#
# Both run on the same square sizes with the same number of threads (WEFT_NUM_THREADS, or every
# core), one after the other so they never compete for the cores. Each size is measured by Weft
# (JMH: 3 warm-up and 5 measured one-second iterations) and right after by PyTorch (a warm-up
# and 5 one-second repetitions); ROUNDS rounds (default 3) repeat that over all sizes, so a
# burst of load from something else on the machine tends to hit both sides alike. Each figure
# in the table is the median GFLOP/s (2 n^3 / time) over all iterations of all rounds.
#
# Usage: bench/gemm-vs-pytorch.sh [size ...]        (default: 512 1024 2048; about 3 minutes)
# Needs bench/target/benchmarks.jar (built here if missing) and a python3 with torch; set
# TORCH_PYTHON to choose the interpreter.
set -euo pipefail

bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_dir="$(dirname "$bench_dir")"
jar="$bench_dir/target/benchmarks.jar"
sizes=("$@")
if [[ ${#sizes[@]} -eq 0 ]]; then
  sizes=(512 1024 2048)
fi
rounds="${ROUNDS:-3}"
export WEFT_NUM_THREADS="${WEFT_NUM_THREADS:-$(nproc)}"

# The Python that has torch: TORCH_PYTHON if given, else the first candidate that imports it
# (a virtualenv's python3 on PATH may lack torch while the system one has it).
python="${TORCH_PYTHON:-}"
if [[ -z "$python" ]]; then
  for candidate in python3 /usr/bin/python3; do
    if "$candidate" -c 'import torch' >/dev/null 2>&1; then
      python="$candidate"
      break
    fi
  done
fi
if [[ -z "$python" ]]; then
  echo "no python3 with torch found; set TORCH_PYTHON" >&2
  exit 1
fi

if [[ ! -f "$jar" ]]; then
  echo "building $jar ..." >&2
  (cd "$repo_dir" && mvn -q -B -pl tensor,bench -am package -DskipTests)
fi

work_dir="$(mktemp -d)"
trap 'rm -rf "$work_dir"' EXIT

# The median of the samples on the last line ("size gflops gflops ...") of a samples file.
last_median() {
  tail -n 1 "$1" | cut -d' ' -f2- | tr ' ' '\n' | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# Each side appends lines "size gflops gflops ..." to its own samples file.
for ((round = 1; round <= rounds; round++)); do
  for size in "${sizes[@]}"; do
    java --add-modules jdk.incubator.vector -cp "$jar" org.weft.bench.GemmBenchmark "$size" \
      >"$work_dir/weft.log" 2>&1 || { cat "$work_dir/weft.log" >&2; exit 1; }
    sed -n '/^# Weft sgemm/,$p' "$work_dir/weft.log" | grep -v '^#' >>"$work_dir/weft.txt"

    "$python" "$bench_dir/torch_matmul.py" --threads "$WEFT_NUM_THREADS" --repetitions 5 "$size" \
      >"$work_dir/torch.log" 2>&1 || { cat "$work_dir/torch.log" >&2; exit 1; }
    grep -v '^#' "$work_dir/torch.log" >>"$work_dir/torch.txt"

    echo "round $round/$rounds  n=$size  Weft $(last_median "$work_dir/weft.txt")  PyTorch $(last_median "$work_dir/torch.txt") GFLOP/s" >&2
  done
done

echo
grep -h '^#' "$work_dir/torch.log"
echo "# F32 GEMM C = A B, square n x n, $WEFT_NUM_THREADS threads, $rounds rounds"
echo "# median GFLOP/s [min-max] over all iterations"
awk '
  # median of the space-separated numbers in s
  function median(s,    v, n, i, j, t) {
    n = split(s, v, " ")
    for (i = 2; i <= n; i++) { t = v[i]; for (j = i - 1; j >= 1 && v[j] > t; j--) v[j + 1] = v[j]; v[j + 1] = t }
    lo = v[1]; hi = v[n]
    return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
  }
  FNR == 1 { side++ }
  {
    samples = ""
    for (i = 2; i <= NF; i++) samples = samples " " $i
    if (side == 1) weft[$1] = weft[$1] samples
    else { if (!($1 in torch)) order[++count] = $1; torch[$1] = torch[$1] samples }
  }
  END {
    printf "%6s  %24s  %24s  %12s\n", "size", "Weft GFLOP/s", "PyTorch GFLOP/s", "Weft/PyTorch"
    for (i = 1; i <= count; i++) {
      n = order[i]
      w = median(weft[n]); wRange = sprintf("%.0f-%.0f", lo, hi)
      t = median(torch[n]); tRange = sprintf("%.0f-%.0f", lo, hi)
      printf "%6d  %10.1f [%11s]  %10.1f [%11s]  %12.2f\n", n, w, wRange, t, tRange, w / t
    }
  }
' "$work_dir/weft.txt" "$work_dir/torch.txt"
