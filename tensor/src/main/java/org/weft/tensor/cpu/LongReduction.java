package org.weft.tensor.cpu;

import org.weft.tensor.NDArray;

/**
 * Sums, maxima and minima of integer and bool arrays, exactly, in long. Outputs are split
 * over the threads; integer reductions are rare in training, so a block is never split
 * (unlike {@link DoubleReduction}).
 */
final class LongReduction {

    enum Kind { SUM, MAX, MIN }

    private LongReduction() {
    }

    /** The per-output results over {@code dims}, in the row-major order of the keepdim shape. */
    static long[] run(NDArray x, int[] dims, Kind kind) {
        int[] shape = x.dims();
        int[] xStrides = x.strides();
        boolean[] reduced = new boolean[shape.length];
        for (int d : dims) {
            reduced[d] = true;
        }
        int[] kept = shape.clone();
        int[] outStrides = new int[shape.length];
        int[] blockSizes = new int[dims.length];
        int[] blockStrides = new int[dims.length];
        int outputs = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            outStrides[d] = outputs;
            if (reduced[d]) {
                kept[d] = 1;
            } else {
                outputs *= shape[d];
            }
        }
        for (int i = 0; i < dims.length; i++) {
            blockSizes[i] = shape[dims[i]];
            blockStrides[i] = xStrides[dims[i]];
        }
        long[] result = new long[outputs];
        ReducedBlock block = ReducedBlock.of(blockSizes, blockStrides);
        int n = block.numel();
        CpuStorage xs = (CpuStorage) x.storage();
        StridedLoop loop = StridedLoop.of(kept, outStrides, xStrides);
        int os = loop.innerStride(0);
        int is = loop.innerStride(1);
        long identity = switch (kind) {
            case SUM -> 0;
            case MAX -> Long.MIN_VALUE;
            case MIN -> Long.MAX_VALUE;
        };
        if (outputs == 0) {
            return result;
        }
        loop.runParallel(new int[] {0, x.offset()}, Math.max(1, DoubleReduction.CHUNK / Math.max(1, n)), (off, count) -> {
            long[] scratch = new long[Math.min(512, Math.max(n, 1))];
            long[] total = new long[1];
            for (int i = 0; i < count; i++) {
                total[0] = identity;
                block.walk(off[1] + i * is, 0, n, (offset, length, stride) -> {
                    for (int j = 0; j < length; j += scratch.length) {
                        int m = Math.min(scratch.length, length - j);
                        load(xs, offset + j * stride, m, stride, scratch);
                        total[0] = fold(kind, scratch, m, total[0]);
                    }
                });
                result[off[0] + i * os] = total[0];
            }
        });
        return result;
    }

    private static long fold(Kind kind, long[] a, int n, long acc) {
        switch (kind) {
            case SUM -> {
                for (int i = 0; i < n; i++) {
                    acc += a[i];
                }
            }
            case MAX -> {
                for (int i = 0; i < n; i++) {
                    acc = Math.max(acc, a[i]);
                }
            }
            case MIN -> {
                for (int i = 0; i < n; i++) {
                    acc = Math.min(acc, a[i]);
                }
            }
        }
        return acc;
    }

    /** Reads {@code n} elements as longs (U8 unsigned, BOOL as 0 or 1). */
    static void load(CpuStorage s, int offset, int n, int stride, long[] dst) {
        switch (s.dtype()) {
            case I64 -> {
                long[] a = s.longs();
                for (int i = 0; i < n; i++) {
                    dst[i] = a[offset + i * stride];
                }
            }
            case I32 -> {
                int[] a = s.ints();
                for (int i = 0; i < n; i++) {
                    dst[i] = a[offset + i * stride];
                }
            }
            case U8 -> {
                byte[] a = s.bytes();
                for (int i = 0; i < n; i++) {
                    dst[i] = a[offset + i * stride] & 0xFF;
                }
            }
            case BOOL -> {
                byte[] a = s.bytes();
                for (int i = 0; i < n; i++) {
                    dst[i] = a[offset + i * stride] != 0 ? 1 : 0;
                }
            }
            default -> throw new AssertionError(s.dtype() + " is not an integer dtype");
        }
    }
}
