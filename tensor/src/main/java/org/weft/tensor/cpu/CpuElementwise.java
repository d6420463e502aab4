package org.weft.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;
import org.weft.tensor.backend.BinaryOp;
import org.weft.tensor.backend.CompareOp;
import org.weft.tensor.backend.ElementwiseKernels;
import org.weft.tensor.backend.GeluDerivative;
import org.weft.tensor.backend.UnaryOp;

/**
 * Elementwise kernels on any strides. Floating-point values are computed through the op's
 * double definition and rounded once, so F32 results are correctly rounded for the
 * arithmetic ops; integers go through long and wrap like C integers. F32 GELU and its
 * gradient, hot in transformers, have a vector kernel of their own ({@link GeluF32}) held to
 * within one ulp of that rounding.
 */
final class CpuElementwise implements ElementwiseKernels {

    private static final int GRAIN = 1 << 14;
    /** GELU costs tens of flops an element, so smaller pieces are already worth a thread. */
    private static final int GELU_GRAIN = 1 << 12;
    /** Elements of a strided row gathered at a time for a contiguous-only kernel. */
    private static final int STRIDED_CHUNK = 512;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    @Override
    public void unary(UnaryOp op, NDArray x, NDArray out) {
        if (op == UnaryOp.RELU && out.dtype().isFloatingPoint()) {
            CpuRelu.forward(x, out); // the activation of every CNN layer: a plain loop, no per-element dispatch
            return;
        }
        StridedLoop loop = StridedLoop.of(out.dims(), out.strides(), x.strides());
        int os = loop.innerStride(0);
        int xs = loop.innerStride(1);
        int[] base = {out.offset(), x.offset()};
        CpuStorage xd = (CpuStorage) x.storage();
        CpuStorage od = (CpuStorage) out.storage();
        switch (out.dtype()) {
            case F32 -> {
                float[] in = xd.floats();
                float[] o = od.floats();
                if (op == UnaryOp.GELU_ERF || op == UnaryOp.GELU_TANH) {
                    geluF32(op, loop, base, in, o);
                    return;
                }
                loop.runParallel(base, GRAIN, (off, n) -> {
                    for (int i = 0; i < n; i++) {
                        o[off[0] + i * os] = (float) op.apply(in[off[1] + i * xs]);
                    }
                });
            }
            case F64 -> {
                double[] in = xd.doubles();
                double[] o = od.doubles();
                loop.runParallel(base, GRAIN, (off, n) -> {
                    for (int i = 0; i < n; i++) {
                        o[off[0] + i * os] = op.apply(in[off[1] + i * xs]);
                    }
                });
            }
            default -> loop.run(base, (off, n) -> {
                for (int i = 0; i < n; i++) {
                    od.setLong(off[0] + i * os, integerUnary(op, xd.getLong(off[1] + i * xs)));
                }
            });
        }
    }

    /**
     * F32 GELU through {@link GeluF32}'s vector kernel: a contiguous array (one long row) is
     * cut into chunks over the threads; strided rows are gathered into a small buffer first.
     */
    private static void geluF32(UnaryOp op, StridedLoop loop, int[] base, float[] in, float[] o) {
        int os = loop.innerStride(0);
        int xs = loop.innerStride(1);
        if (loop.rows() == 1 && os == 1 && xs == 1) {
            int xo = base[1];
            int oo = base[0];
            CpuThreads.parallelFor(loop.rowLength(), GELU_GRAIN, (from, to) ->
                    GeluF32.forward(op, in, xo + from, o, oo + from, to - from));
            return;
        }
        loop.runParallel(base, GELU_GRAIN, (off, n) -> {
            if (os == 1 && xs == 1) {
                GeluF32.forward(op, in, off[1], o, off[0], n);
                return;
            }
            float[] buffer = new float[Math.min(n, STRIDED_CHUNK)];
            for (int start = 0; start < n; start += buffer.length) {
                int len = Math.min(buffer.length, n - start);
                for (int i = 0; i < len; i++) {
                    buffer[i] = in[off[1] + (start + i) * xs];
                }
                GeluF32.forward(op, buffer, 0, buffer, 0, len);
                for (int i = 0; i < len; i++) {
                    o[off[0] + (start + i) * os] = buffer[i];
                }
            }
        });
    }

    @Override
    public void geluBackward(UnaryOp gelu, NDArray grad, NDArray x, NDArray out) {
        StridedLoop loop = StridedLoop.of(out.dims(), out.strides(), grad.strides(), x.strides());
        int os = loop.innerStride(0);
        int gs = loop.innerStride(1);
        int xs = loop.innerStride(2);
        int[] base = {out.offset(), grad.offset(), x.offset()};
        CpuStorage gd = (CpuStorage) grad.storage();
        CpuStorage xd = (CpuStorage) x.storage();
        CpuStorage od = (CpuStorage) out.storage();
        if (out.dtype() == DType.F64) {
            // The reference itself: F64 is gradcheck's dtype, so it stays exact.
            double[] g = gd.doubles();
            double[] in = xd.doubles();
            double[] o = od.doubles();
            loop.runParallel(base, GRAIN, (off, n) -> {
                for (int i = 0; i < n; i++) {
                    o[off[0] + i * os] = g[off[1] + i * gs] * GeluDerivative.apply(gelu, in[off[2] + i * xs]);
                }
            });
            return;
        }
        float[] g = gd.floats();
        float[] in = xd.floats();
        float[] o = od.floats();
        if (loop.rows() == 1 && os == 1 && gs == 1 && xs == 1) {
            int oo = base[0];
            int go = base[1];
            int xo = base[2];
            CpuThreads.parallelFor(loop.rowLength(), GELU_GRAIN, (from, to) ->
                    GeluF32.backward(gelu, g, go + from, in, xo + from, o, oo + from, to - from));
            return;
        }
        loop.runParallel(base, GELU_GRAIN, (off, n) -> {
            if (os == 1 && gs == 1 && xs == 1) {
                GeluF32.backward(gelu, g, off[1], in, off[2], o, off[0], n);
                return;
            }
            int chunk = Math.min(n, STRIDED_CHUNK);
            float[] gb = new float[chunk];
            float[] xb = new float[chunk];
            for (int start = 0; start < n; start += chunk) {
                int len = Math.min(chunk, n - start);
                for (int i = 0; i < len; i++) {
                    gb[i] = g[off[1] + (start + i) * gs];
                    xb[i] = in[off[2] + (start + i) * xs];
                }
                GeluF32.backward(gelu, gb, 0, xb, 0, xb, 0, len);
                for (int i = 0; i < len; i++) {
                    o[off[0] + (start + i) * os] = xb[i];
                }
            }
        });
    }

    /** The integer ops keep integers: rounding is the identity on them. */
    private static long integerUnary(UnaryOp op, long v) {
        return switch (op) {
            case NEG -> -v;
            case ABS -> Math.abs(v);
            case SIGN -> Long.signum(v);
            case RELU -> Math.max(v, 0);
            case FLOOR, CEIL, ROUND -> v;
            default -> throw new AssertionError(op + " on integers is promoted to F32 before the kernel");
        };
    }

    @Override
    public void binary(BinaryOp op, NDArray a, NDArray b, NDArray out) {
        StridedLoop loop = StridedLoop.of(out.dims(), out.strides(), a.strides(), b.strides());
        int os = loop.innerStride(0);
        int as = loop.innerStride(1);
        int bs = loop.innerStride(2);
        int[] base = {out.offset(), a.offset(), b.offset()};
        CpuStorage ad = (CpuStorage) a.storage();
        CpuStorage bd = (CpuStorage) b.storage();
        CpuStorage od = (CpuStorage) out.storage();
        switch (out.dtype()) {
            case F32 -> {
                float[] x = ad.floats();
                float[] y = bd.floats();
                float[] o = od.floats();
                loop.runParallel(base, GRAIN, (off, n) -> {
                    if (os == 1 && as == 1 && bs == 1 && vectorizable(op)) {
                        binaryF32Contiguous(op, x, off[1], y, off[2], o, off[0], n);
                        return;
                    }
                    if (os == 1 && as == 1 && bs == 0 && vectorizable(op)) {
                        binaryF32Scalar(op, x, off[1], y[off[2]], o, off[0], n); // a tensor with a scalar
                        return;
                    }
                    for (int i = 0; i < n; i++) {
                        o[off[0] + i * os] = (float) op.apply(x[off[1] + i * as], y[off[2] + i * bs]);
                    }
                });
            }
            case F64 -> {
                double[] x = ad.doubles();
                double[] y = bd.doubles();
                double[] o = od.doubles();
                loop.runParallel(base, GRAIN, (off, n) -> {
                    for (int i = 0; i < n; i++) {
                        o[off[0] + i * os] = op.apply(x[off[1] + i * as], y[off[2] + i * bs]);
                    }
                });
            }
            default -> loop.run(base, (off, n) -> {
                for (int i = 0; i < n; i++) {
                    od.setLong(off[0] + i * os, op.apply(ad.getLong(off[1] + i * as), bd.getLong(off[2] + i * bs)));
                }
            });
        }
    }

    private static boolean vectorizable(BinaryOp op) {
        return op == BinaryOp.ADD || op == BinaryOp.SUB || op == BinaryOp.MUL || op == BinaryOp.DIV;
    }

    /**
     * The four arithmetic ops on contiguous F32 rows, a vector at a time. IEEE float
     * arithmetic gives the same correctly rounded result as the double route.
     */
    private static void binaryF32Contiguous(BinaryOp op, float[] x, int xo, float[] y, int yo, float[] o, int oo, int n) {
        // One loop per op: the Vector API compiles a lanewise op to a vector instruction only
        // when the operator is a constant at the call site; a variable operator falls back to
        // a Java loop per lane, several times slower than plain scalar code.
        int i = 0;
        int upper = F.loopBound(n);
        switch (op) {
            case ADD -> {
                for (; i < upper; i += F.length()) {
                    FloatVector.fromArray(F, x, xo + i).add(FloatVector.fromArray(F, y, yo + i)).intoArray(o, oo + i);
                }
            }
            case SUB -> {
                for (; i < upper; i += F.length()) {
                    FloatVector.fromArray(F, x, xo + i).sub(FloatVector.fromArray(F, y, yo + i)).intoArray(o, oo + i);
                }
            }
            case MUL -> {
                for (; i < upper; i += F.length()) {
                    FloatVector.fromArray(F, x, xo + i).mul(FloatVector.fromArray(F, y, yo + i)).intoArray(o, oo + i);
                }
            }
            default -> {
                for (; i < upper; i += F.length()) {
                    FloatVector.fromArray(F, x, xo + i).div(FloatVector.fromArray(F, y, yo + i)).intoArray(o, oo + i);
                }
            }
        }
        for (; i < n; i++) {
            o[oo + i] = (float) op.apply(x[xo + i], y[yo + i]);
        }
    }

    /** {@link #binaryF32Contiguous} with the same right operand {@code s} for every element. */
    private static void binaryF32Scalar(BinaryOp op, float[] x, int xo, float s, float[] o, int oo, int n) {
        FloatVector vs = FloatVector.broadcast(F, s);
        int i = 0;
        int upper = F.loopBound(n);
        switch (op) {
            case ADD -> {
                for (; i < upper; i += F.length()) {
                    FloatVector.fromArray(F, x, xo + i).add(vs).intoArray(o, oo + i);
                }
            }
            case SUB -> {
                for (; i < upper; i += F.length()) {
                    FloatVector.fromArray(F, x, xo + i).sub(vs).intoArray(o, oo + i);
                }
            }
            case MUL -> {
                for (; i < upper; i += F.length()) {
                    FloatVector.fromArray(F, x, xo + i).mul(vs).intoArray(o, oo + i);
                }
            }
            default -> {
                for (; i < upper; i += F.length()) {
                    FloatVector.fromArray(F, x, xo + i).div(vs).intoArray(o, oo + i);
                }
            }
        }
        for (; i < n; i++) {
            o[oo + i] = (float) op.apply(x[xo + i], s);
        }
    }

    @Override
    public void compare(CompareOp op, NDArray a, NDArray b, NDArray out) {
        StridedLoop loop = StridedLoop.of(out.dims(), out.strides(), a.strides(), b.strides());
        int os = loop.innerStride(0);
        int as = loop.innerStride(1);
        int bs = loop.innerStride(2);
        int[] base = {out.offset(), a.offset(), b.offset()};
        CpuStorage ad = (CpuStorage) a.storage();
        CpuStorage bd = (CpuStorage) b.storage();
        byte[] o = ((CpuStorage) out.storage()).bytes();
        boolean floating = a.dtype().isFloatingPoint();
        loop.runParallel(base, GRAIN, (off, n) -> {
            for (int i = 0; i < n; i++) {
                int ai = off[1] + i * as;
                int bi = off[2] + i * bs;
                boolean r = floating ? op.test(ad.getDouble(ai), bd.getDouble(bi)) : op.test(ad.getLong(ai), bd.getLong(bi));
                o[off[0] + i * os] = (byte) (r ? 1 : 0);
            }
        });
    }

    @Override
    public void where(NDArray cond, NDArray a, NDArray b, NDArray out) {
        StridedLoop loop = StridedLoop.of(out.dims(), out.strides(), cond.strides(), a.strides(), b.strides());
        int os = loop.innerStride(0);
        int cs = loop.innerStride(1);
        int as = loop.innerStride(2);
        int bs = loop.innerStride(3);
        int[] base = {out.offset(), cond.offset(), a.offset(), b.offset()};
        byte[] c = ((CpuStorage) cond.storage()).bytes();
        Object x = ((CpuStorage) a.storage()).array();
        Object y = ((CpuStorage) b.storage()).array();
        Object o = ((CpuStorage) out.storage()).array();
        // Choosing an element moves it unchanged, so one copy per primitive type suffices.
        loop.runParallel(base, GRAIN, (off, n) -> {
            for (int i = 0; i < n; i++) {
                int ci = off[1] + i * cs;
                int oi = off[0] + i * os;
                if (c[ci] != 0) {
                    System.arraycopy(x, off[2] + i * as, o, oi, 1);
                } else {
                    System.arraycopy(y, off[3] + i * bs, o, oi, 1);
                }
            }
        });
    }

    /**
     * {@code min(max(x, lo), hi)} written with comparisons, as PyTorch computes it: NaN passes
     * through, lo > hi gives hi, and a value equal to a bound is returned as it is (so -0.0
     * clamped below at 0.0 stays -0.0, where Math.max would give 0.0).
     */
    @Override
    public void clamp(NDArray x, double lo, double hi, NDArray out) {
        StridedLoop loop = StridedLoop.of(out.dims(), out.strides(), x.strides());
        int os = loop.innerStride(0);
        int xs = loop.innerStride(1);
        int[] base = {out.offset(), x.offset()};
        CpuStorage xd = (CpuStorage) x.storage();
        CpuStorage od = (CpuStorage) out.storage();
        switch (out.dtype()) {
            case F32 -> {
                float[] in = xd.floats();
                float[] o = od.floats();
                float l = (float) lo;
                float h = (float) hi;
                loop.runParallel(base, GRAIN, (off, n) -> {
                    for (int i = 0; i < n; i++) {
                        float v = in[off[1] + i * xs];
                        v = v < l ? l : v;
                        o[off[0] + i * os] = v > h ? h : v;
                    }
                });
            }
            case F64 -> {
                double[] in = xd.doubles();
                double[] o = od.doubles();
                loop.runParallel(base, GRAIN, (off, n) -> {
                    for (int i = 0; i < n; i++) {
                        double v = in[off[1] + i * xs];
                        v = v < lo ? lo : v;
                        o[off[0] + i * os] = v > hi ? hi : v;
                    }
                });
            }
            default -> {
                // Integer arrays only get integral bounds (others promote to F32 first); an
                // infinite bound casts to the long range's end, i.e. no bound.
                long l = (long) lo;
                long h = (long) hi;
                loop.run(base, (off, n) -> {
                    for (int i = 0; i < n; i++) {
                        long v = xd.getLong(off[1] + i * xs);
                        v = v < l ? l : v;
                        od.setLong(off[0] + i * os, v > h ? h : v);
                    }
                });
            }
        }
    }

    @Override
    public void thresholdBackward(NDArray grad, NDArray x, double threshold, NDArray out) {
        CpuRelu.thresholdBackward(grad, x, threshold, out);
    }
}
