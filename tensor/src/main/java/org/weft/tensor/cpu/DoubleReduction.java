package org.weft.tensor.cpu;

import org.weft.tensor.DType;
import org.weft.tensor.NDArray;

/**
 * Runs an {@link Accumulation} in double over the reduced dimensions of an F32 or F64 array,
 * for every output element, on any strides, and returns the per-output results (in the
 * row-major order of the keepdim shape) for the caller to finish and store.
 *
 * <p>Three schedules, chosen from the shapes alone (so a result never depends on the number
 * of threads):
 * <ul>
 * <li><b>rows</b>: each output folds its block on its own, outputs split over the threads; for
 *     a reduction over the dimensions that are innermost in memory.
 * <li><b>split rows</b>: fewer than {@value #FEW_OUTPUTS} outputs with large blocks (a full
 *     sum); each block is cut into fixed chunks folded in parallel and merged in order.
 * <li><b>columns</b>: when a kept dimension is innermost in memory (a sum over the batch of a
 *     [batch, features] array), the outputs along it fold side by side, each reduced element
 *     adding a contiguous run to a row of accumulators, instead of each output striding
 *     through memory alone.
 * </ul>
 */
final class DoubleReduction {

    /** Elements folded per task; also the chunk of a split block. */
    static final int CHUNK = 1 << 14;
    /** Below this many outputs, large blocks are split so that every core has work. */
    static final int FEW_OUTPUTS = 16;
    /** Outputs folded side by side by one column task. */
    static final int LINE_CHUNK = 512;
    /** A kept innermost dimension at least this long makes the column schedule worth it. */
    static final int MIN_LINE = 16;
    /** Elements widened to double per step. */
    private static final int SCRATCH = 512;

    private final Accumulation acc;
    private final double[] shifts;
    private final boolean f32;
    private final float[] floats;
    private final double[] doubles;
    private final int[] shape;
    private final int[] xStrides;
    private final int[] outStrides;
    private final boolean[] reduced;
    private final int xOffset;

    private DoubleReduction(NDArray x, int[] dims, Accumulation acc, double[] shifts) {
        this.acc = acc;
        this.shifts = shifts;
        CpuStorage s = (CpuStorage) x.storage();
        this.f32 = x.dtype() == DType.F32;
        this.floats = f32 ? s.floats() : null;
        this.doubles = f32 ? null : s.doubles();
        this.shape = x.dims();
        this.xStrides = x.strides();
        this.xOffset = x.offset();
        this.reduced = new boolean[shape.length];
        for (int d : dims) {
            reduced[d] = true;
        }
        // The output is the contiguous keepdim array: its strides, with the reduced dims of size one.
        this.outStrides = new int[shape.length];
        for (int d = shape.length - 1, st = 1; d >= 0; d--) {
            outStrides[d] = st;
            st *= reduced[d] ? 1 : Math.max(shape[d], 1);
        }
    }

    /**
     * Folds {@code acc} over {@code dims} of {@code x} (F32 or F64); {@code shifts} (or null)
     * holds each output's parameter in the same order as the result.
     */
    static double[] run(NDArray x, int[] dims, Accumulation acc, double[] shifts) {
        return new DoubleReduction(x, dims, acc, shifts).run();
    }

    private double[] run() {
        int rank = shape.length;
        int outputs = 1;
        int[] blockSizes = new int[rank];
        int[] blockStrides = new int[rank];
        int nb = 0;
        for (int d = 0; d < rank; d++) {
            if (reduced[d]) {
                blockSizes[nb] = shape[d];
                blockStrides[nb++] = xStrides[d];
            } else {
                outputs *= shape[d];
            }
        }
        double[] result = new double[outputs];
        if (outputs == 0) {
            return result;
        }
        ReducedBlock block = ReducedBlock.of(java.util.Arrays.copyOf(blockSizes, nb),
                java.util.Arrays.copyOf(blockStrides, nb));
        int line = columnDimension();
        if (line >= 0 && block.numel() > 1) {
            columns(block, line, result);
        } else if (outputs < FEW_OUTPUTS && block.numel() >= 2 * CHUNK) {
            splitRows(block, result);
        } else {
            rows(block, result);
        }
        return result;
    }

    /**
     * The kept dimension to fold side by side, or -1: the kept dimension with the smallest
     * stride, if it is long enough and nearer in memory than every reduced dimension.
     */
    private int columnDimension() {
        int best = -1;
        int smallestReduced = Integer.MAX_VALUE;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] <= 1) {
                continue;
            }
            if (reduced[d]) {
                smallestReduced = Math.min(smallestReduced, xStrides[d]);
            } else if (best < 0 || xStrides[d] < xStrides[best]) {
                best = d;
            }
        }
        return best >= 0 && shape[best] >= MIN_LINE && xStrides[best] < smallestReduced ? best : -1;
    }

    // ------------------------------------------------------------ the rows schedule

    private void rows(ReducedBlock block, double[] result) {
        int[] kept = shape.clone();
        for (int d = 0; d < kept.length; d++) {
            if (reduced[d]) {
                kept[d] = 1;
            }
        }
        StridedLoop outputs = StridedLoop.of(kept, outStrides, xStrides);
        int os = outputs.innerStride(0);
        int xs = outputs.innerStride(1);
        int n = block.numel();
        outputs.runParallel(new int[] {0, xOffset}, Math.max(1, CHUNK / Math.max(1, n)), (off, count) -> {
            double[] scratch = new double[Math.min(SCRATCH, Math.max(n, 1))];
            for (int i = 0; i < count; i++) {
                int o = off[0] + i * os;
                double shift = shifts == null ? 0 : shifts[o];
                result[o] = foldBlock(block, off[1] + i * xs, 0, n, shift, scratch);
            }
        });
    }

    private void splitRows(ReducedBlock block, double[] result) {
        int n = block.numel();
        int chunks = (n + CHUNK - 1) / CHUNK;
        int tasks = result.length * chunks;
        double[] partial = new double[tasks];
        CpuThreads.parallelFor(tasks, 1, (from, to) -> {
            double[] scratch = new double[SCRATCH];
            for (int t = from; t < to; t++) {
                int o = t / chunks;
                int c = t % chunks;
                double shift = shifts == null ? 0 : shifts[o];
                int lo = (int) ((long) n * c / chunks);
                int hi = (int) ((long) n * (c + 1) / chunks);
                partial[t] = foldBlock(block, xOffset + inputOffset(o), lo, hi, shift, scratch);
            }
        });
        for (int o = 0; o < result.length; o++) {
            double r = partial[o * chunks];
            for (int c = 1; c < chunks; c++) {
                r = acc.merge(r, partial[o * chunks + c]);
            }
            result[o] = r;
        }
    }

    /** Folds elements {@code [from, to)} of the block at {@code base}. */
    private double foldBlock(ReducedBlock block, int base, int from, int to, double shift, double[] scratch) {
        double[] total = {acc.identity()};
        block.walk(base, from, to, (offset, length, stride) -> {
            if (!f32 && stride == 1) {
                total[0] = acc.fold(doubles, offset, length, shift, total[0]);
                return;
            }
            for (int i = 0; i < length; i += scratch.length) {
                int m = Math.min(scratch.length, length - i);
                load(offset + i * stride, m, stride, scratch);
                total[0] = acc.fold(scratch, 0, m, shift, total[0]);
            }
        });
        return total[0];
    }

    /** The input offset (from x's own offset) of output {@code o}'s block. */
    private int inputOffset(int o) {
        int off = 0;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (!reduced[d] && shape[d] > 0) {
                off += (o % shape[d]) * xStrides[d];
                o /= shape[d];
            }
        }
        return off;
    }

    // ------------------------------------------------------------ the columns schedule

    private void columns(ReducedBlock block, int line, double[] result) {
        int lineLength = shape[line];
        int ls = xStrides[line];
        int lo = outStrides[line];
        int lineChunks = (lineLength + LINE_CHUNK - 1) / LINE_CHUNK;
        int lines = result.length / lineLength;
        int items = lines * lineChunks;
        int n = block.numel();
        // Few items (a [batch, features] sum with few features): also cut the block, in a fixed way.
        int perItem = Math.min(lineLength, LINE_CHUNK);
        int blockChunks = items >= FEW_OUTPUTS ? 1
                : (int) Math.max(1, Math.min(64, (long) n * perItem / (2L * CHUNK)));
        int tasks = items * blockChunks;
        double[][] partial = blockChunks > 1 ? new double[tasks][] : null;
        long costPerTask = Math.max(1, (long) n * perItem / blockChunks);
        int grain = (int) Math.max(1, CHUNK / costPerTask);
        CpuThreads.parallelFor(tasks, grain, (from, to) -> {
            double[] column = new double[perItem];
            for (int t = from; t < to; t++) {
                int item = t / blockChunks;
                int bc = t % blockChunks;
                int k0 = (item % lineChunks) * LINE_CHUNK;
                int m = Math.min(LINE_CHUNK, lineLength - k0);
                int lineIndex = item / lineChunks;
                int xBase = xOffset + lineOffsetX(lineIndex, line) + k0 * ls;
                int oBase = lineOffsetOut(lineIndex, line) + k0 * lo;
                double[] sums = new double[m];
                java.util.Arrays.fill(sums, acc.identity());
                double[] sh = new double[m];
                if (shifts != null) {
                    for (int k = 0; k < m; k++) {
                        sh[k] = shifts[oBase + k * lo];
                    }
                }
                int bFrom = (int) ((long) n * bc / blockChunks);
                int bTo = (int) ((long) n * (bc + 1) / blockChunks);
                block.walk(xBase, bFrom, bTo, (offset, length, stride) -> {
                    for (int e = 0; e < length; e++) {
                        int at = offset + e * stride;
                        if (!f32 && ls == 1) {
                            acc.foldColumns(doubles, at, m, sh, sums);
                        } else {
                            load(at, m, ls, column);
                            acc.foldColumns(column, 0, m, sh, sums);
                        }
                    }
                });
                if (partial != null) {
                    partial[t] = sums;
                } else {
                    for (int k = 0; k < m; k++) {
                        result[oBase + k * lo] = sums[k];
                    }
                }
            }
        });
        if (partial != null) {
            for (int item = 0; item < items; item++) {
                int k0 = (item % lineChunks) * LINE_CHUNK;
                int m = Math.min(LINE_CHUNK, lineLength - k0);
                int oBase = lineOffsetOut(item / lineChunks, line) + k0 * lo;
                for (int k = 0; k < m; k++) {
                    double r = partial[item * blockChunks][k];
                    for (int bc = 1; bc < blockChunks; bc++) {
                        r = acc.merge(r, partial[item * blockChunks + bc][k]);
                    }
                    result[oBase + k * lo] = r;
                }
            }
        }
    }

    /** The input offset of line {@code i}: lines enumerate the kept dimensions other than {@code line}. */
    private int lineOffsetX(int i, int line) {
        int off = 0;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (!reduced[d] && d != line) {
                off += (i % shape[d]) * xStrides[d];
                i /= shape[d];
            }
        }
        return off;
    }

    private int lineOffsetOut(int i, int line) {
        int off = 0;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (!reduced[d] && d != line) {
                off += (i % shape[d]) * outStrides[d];
                i /= shape[d];
            }
        }
        return off;
    }

    /** Widens {@code n} elements from {@code offset}, {@code stride} apart, into {@code dst}. */
    private void load(int offset, int n, int stride, double[] dst) {
        if (f32) {
            float[] a = floats;
            for (int i = 0; i < n; i++) {
                dst[i] = a[offset + i * stride];
            }
        } else {
            double[] a = doubles;
            for (int i = 0; i < n; i++) {
                dst[i] = a[offset + i * stride];
            }
        }
    }
}
