package org.weft.tensor.cpu;

import org.weft.tensor.DType;
import org.weft.tensor.NDArray;
import org.weft.tensor.backend.ReductionKernels;

/**
 * The reductions on the CPU. Those over several dimensions run an {@link Accumulation} in
 * double through {@link DoubleReduction} (integers in long through {@link LongReduction}) and
 * finish each output here: divide for the mean, take the root for a norm. Those along one
 * dimension walk {@link Lines}.
 */
final class CpuReduction implements ReductionKernels {

    @Override
    public void sum(NDArray x, int[] dims, NDArray out) {
        if (!x.dtype().isFloatingPoint()) {
            storeLongs(LongReduction.run(x, dims, LongReduction.Kind.SUM), out);
            return;
        }
        storeDoubles(DoubleReduction.run(x, dims, Accumulation.SUM, null), out);
    }

    @Override
    public void mean(NDArray x, int[] dims, NDArray out) {
        double n = blockSize(x, dims);
        double[] r = DoubleReduction.run(x, dims, Accumulation.SUM, null);
        for (int i = 0; i < r.length; i++) {
            r[i] /= n;
        }
        storeDoubles(r, out);
    }

    @Override
    public void var(NDArray x, int[] dims, double correction, boolean std, NDArray out) {
        double n = blockSize(x, dims);
        double[] mean = DoubleReduction.run(x, dims, Accumulation.SUM, null);
        for (int i = 0; i < mean.length; i++) {
            mean[i] /= n;
        }
        double[] r = DoubleReduction.run(x, dims, Accumulation.SQUARED_DEVIATION, mean);
        double divisor = Math.max(n - correction, 0);
        for (int i = 0; i < r.length; i++) {
            r[i] /= divisor;
            if (std) {
                r[i] = Math.sqrt(r[i]);
            }
        }
        storeDoubles(r, out);
    }

    @Override
    public void amax(NDArray x, int[] dims, boolean largest, NDArray out) {
        if (!x.dtype().isFloatingPoint()) {
            LongReduction.Kind kind = largest ? LongReduction.Kind.MAX : LongReduction.Kind.MIN;
            storeLongs(LongReduction.run(x, dims, kind), out);
            return;
        }
        storeDoubles(DoubleReduction.run(x, dims, largest ? Accumulation.MAX : Accumulation.MIN, null), out);
    }

    @Override
    public void logsumexp(NDArray x, int[] dims, NDArray out) {
        double[] shift = DoubleReduction.run(x, dims, Accumulation.MAX, null);
        for (int i = 0; i < shift.length; i++) {
            // An infinite maximum would make x - max NaN; shifting by 0 gives log(inf) = inf or log(0) = -inf.
            if (Double.isInfinite(shift[i])) {
                shift[i] = 0;
            }
        }
        double[] r = DoubleReduction.run(x, dims, Accumulation.EXP_SHIFTED, shift);
        for (int i = 0; i < r.length; i++) {
            r[i] = Math.log(r[i]) + shift[i];
        }
        storeDoubles(r, out);
    }

    @Override
    public void norm(NDArray x, int[] dims, double p, NDArray out) {
        Accumulation acc;
        if (p == 0) {
            acc = Accumulation.NONZERO_COUNT;
        } else if (p == 1) {
            acc = Accumulation.ABS_SUM;
        } else if (p == 2) {
            acc = Accumulation.SQUARE_SUM;
        } else if (p == Double.POSITIVE_INFINITY) {
            acc = Accumulation.MAX_ABS;
        } else if (p == Double.NEGATIVE_INFINITY) {
            acc = Accumulation.MIN_ABS;
        } else {
            acc = Accumulation.absPowSum(p);
        }
        double[] r = DoubleReduction.run(x, dims, acc, null);
        if (p == 2) {
            for (int i = 0; i < r.length; i++) {
                r[i] = Math.sqrt(r[i]);
            }
        } else if (p != 0 && p != 1 && !Double.isInfinite(p)) {
            for (int i = 0; i < r.length; i++) {
                r[i] = Math.pow(r[i], 1 / p);
            }
        }
        storeDoubles(r, out);
    }

    // ------------------------------------------------------------ along one dimension

    @Override
    public void maxAlongDim(NDArray x, int dim, boolean largest, NDArray values, NDArray indices) {
        int n = x.size(dim);
        int xs = x.stride(dim);
        CpuStorage in = (CpuStorage) x.storage();
        CpuStorage vs = values == null ? null : (CpuStorage) values.storage();
        long[] idx = ((CpuStorage) indices.storage()).longs();
        NDArray[] operands = values == null ? new NDArray[] {x, indices} : new NDArray[] {x, indices, values};
        Lines.forEach(dim, n, starts -> {
            int best;
            if (x.dtype() == DType.F32) {
                best = bestF32(in.floats(), starts[0], n, xs, largest);
            } else if (x.dtype() == DType.F64) {
                best = bestF64(in.doubles(), starts[0], n, xs, largest);
            } else {
                best = bestLong(in, starts[0], n, xs, largest);
            }
            idx[starts[1]] = best;
            if (vs != null) {
                int from = starts[0] + best * xs;
                if (x.dtype().isFloatingPoint()) {
                    vs.setDouble(starts[2], in.getDouble(from));
                } else {
                    vs.setLong(starts[2], in.getLong(from));
                }
            }
        }, operands);
    }

    /** The first position of the largest (smallest) value, or of the first NaN. */
    private static int bestF32(float[] a, int off, int n, int st, boolean largest) {
        int best = 0;
        float v = a[off];
        for (int i = 1; i < n && v == v; i++) {
            float c = a[off + i * st];
            if (c != c || (largest ? c > v : c < v)) {
                best = i;
                v = c;
            }
        }
        return best;
    }

    private static int bestF64(double[] a, int off, int n, int st, boolean largest) {
        int best = 0;
        double v = a[off];
        for (int i = 1; i < n && v == v; i++) {
            double c = a[off + i * st];
            if (c != c || (largest ? c > v : c < v)) {
                best = i;
                v = c;
            }
        }
        return best;
    }

    private static int bestLong(CpuStorage s, int off, int n, int st, boolean largest) {
        int best = 0;
        long v = s.getLong(off);
        for (int i = 1; i < n; i++) {
            long c = s.getLong(off + i * st);
            if (largest ? c > v : c < v) {
                best = i;
                v = c;
            }
        }
        return best;
    }

    @Override
    public void cumsum(NDArray x, int dim, boolean reverse, NDArray out) {
        int n = x.size(dim);
        int xs = x.stride(dim);
        int os = out.stride(dim);
        CpuStorage in = (CpuStorage) x.storage();
        CpuStorage o = (CpuStorage) out.storage();
        // Walking backwards is walking from the line's last element with the stride negated.
        int xStep = reverse ? -xs : xs;
        int oStep = reverse ? -os : os;
        int first = reverse ? n - 1 : 0;
        Lines.forEach(dim, n, starts -> {
            int xi = starts[0] + first * xs;
            int oi = starts[1] + first * os;
            switch (out.dtype()) {
                case F32 -> {
                    float[] a = in.floats();
                    float[] b = o.floats();
                    double s = 0;
                    for (int i = 0; i < n; i++, xi += xStep, oi += oStep) {
                        s += a[xi];
                        b[oi] = (float) s;
                    }
                }
                case F64 -> {
                    double[] a = in.doubles();
                    double[] b = o.doubles();
                    double s = 0;
                    for (int i = 0; i < n; i++, xi += xStep, oi += oStep) {
                        s += a[xi];
                        b[oi] = s;
                    }
                }
                default -> {
                    long[] b = o.longs();
                    long s = 0;
                    for (int i = 0; i < n; i++, xi += xStep, oi += oStep) {
                        s += in.getLong(xi);
                        b[oi] = s;
                    }
                }
            }
        }, x, out);
    }

    @Override
    public void sort(NDArray x, int dim, boolean descending, NDArray values, NDArray indices) {
        int n = x.size(dim);
        int k = values.size(dim);
        int xs = x.stride(dim);
        int vs = values.stride(dim);
        int is = indices.stride(dim);
        CpuStorage in = (CpuStorage) x.storage();
        CpuStorage out = (CpuStorage) values.storage();
        long[] idx = ((CpuStorage) indices.storage()).longs();
        boolean floating = x.dtype().isFloatingPoint();
        Lines.forEach(dim, (int) Math.min(Integer.MAX_VALUE, 8L * n), starts -> {
            long[] keys = new long[n];
            int[] order = new int[n];
            int[] tmp = new int[n];
            for (int i = 0; i < n; i++) {
                int at = starts[0] + i * xs;
                keys[i] = floating ? StableSort.key(in.getDouble(at)) : in.getLong(at);
                order[i] = i;
            }
            StableSort.sort(keys, order, tmp, n, descending);
            for (int j = 0; j < k; j++) {
                int from = starts[0] + order[j] * xs;
                int to = starts[1] + j * vs;
                if (floating) {
                    out.setDouble(to, in.getDouble(from));
                } else {
                    out.setLong(to, in.getLong(from));
                }
                idx[starts[2] + j * is] = order[j];
            }
        }, x, values, indices);
    }

    // ------------------------------------------------------------ helpers

    /** How many elements each output folds. */
    private static double blockSize(NDArray x, int[] dims) {
        double n = 1;
        for (int d : dims) {
            n *= x.size(d);
        }
        return n;
    }

    /** Writes per-output results (row-major) into the contiguous out, rounding once to its dtype. */
    private static void storeDoubles(double[] r, NDArray out) {
        CpuStorage o = (CpuStorage) out.storage();
        int base = out.offset();
        switch (out.dtype()) {
            case F32 -> {
                float[] a = o.floats();
                for (int i = 0; i < r.length; i++) {
                    a[base + i] = (float) r[i];
                }
            }
            case F64 -> System.arraycopy(r, 0, o.doubles(), base, r.length);
            default -> throw new AssertionError("a floating-point reduction into " + out.dtype());
        }
    }

    private static void storeLongs(long[] r, NDArray out) {
        CpuStorage o = (CpuStorage) out.storage();
        int base = out.offset();
        for (int i = 0; i < r.length; i++) {
            o.setLong(base + i, r[i]);
        }
    }
}
