package org.weft.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;

/**
 * ReLU and its gradient ({@code threshold_backward} in PyTorch) on F32 and F64 arrays: the
 * activation that follows every norm layer of a CNN, so two memory-bound passes per layer
 * and per step that the generic elementwise route (an enum dispatch per element for the
 * forward, a comparison into a BOOL mask and then a select for the backward) made several
 * times slower than a plain loop.
 *
 * <p>Contiguous operands are split into flat chunks over the threads; any other strides go
 * row by row through {@link StridedLoop}. F32 rows of unit stride (a contiguous array, or
 * the per-item runs of a channel slice such as an Inception branch's part of a concatenated
 * gradient) run a vector at a time. The scalar references read element by element
 * through {@link CpuStorage#getDouble} and define what the fast loops must give, bit for bit.
 */
final class CpuRelu {

    private static final int GRAIN = 1 << 15;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private CpuRelu() {
    }

    /** {@code x < 0 ? 0 : x}: -0.0 stays -0.0 and NaN passes, as in PyTorch. */
    static void forward(NDArray x, NDArray out) {
        if (x.isContiguous() && out.isContiguous()) {
            int xo = x.offset();
            int oo = out.offset();
            if (x.dtype() == DType.F32) {
                float[] in = floats(x);
                float[] o = floats(out);
                CpuThreads.parallelFor(out.numel(), GRAIN, (from, to) -> reluF32Contiguous(in, xo + from, o, oo + from, to - from));
            } else {
                double[] in = doubles(x);
                double[] o = doubles(out);
                CpuThreads.parallelFor(out.numel(), GRAIN, (from, to) -> reluF64(in, xo + from, o, oo + from, to - from, 1, 1));
            }
            return;
        }
        StridedLoop loop = StridedLoop.of(out.dims(), out.strides(), x.strides());
        int os = loop.innerStride(0);
        int xs = loop.innerStride(1);
        int[] base = {out.offset(), x.offset()};
        if (x.dtype() == DType.F32) {
            float[] in = floats(x);
            float[] o = floats(out);
            if (xs == 1 && os == 1) {
                loop.runParallel(base, GRAIN, (off, n) -> reluF32Contiguous(in, off[1], o, off[0], n));
            } else {
                loop.runParallel(base, GRAIN, (off, n) -> reluF32(in, off[1], o, off[0], n, xs, os));
            }
        } else {
            double[] in = doubles(x);
            double[] o = doubles(out);
            loop.runParallel(base, GRAIN, (off, n) -> reluF64(in, off[1], o, off[0], n, xs, os));
        }
    }

    /** {@link #reluF32} on unit strides, a vector at a time: a blend, so -0.0 and NaN pass unchanged as in the scalar loop. */
    private static void reluF32Contiguous(float[] x, int xo, float[] o, int oo, int n) {
        FloatVector zero = FloatVector.zero(F);
        int i = 0;
        for (int upper = F.loopBound(n); i < upper; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, x, xo + i);
            v.blend(zero, v.lt(0f)).intoArray(o, oo + i);
        }
        reluF32(x, xo + i, o, oo + i, n - i, 1, 1);
    }

    private static void reluF32(float[] x, int xo, float[] o, int oo, int n, int xs, int os) {
        for (int i = 0; i < n; i++) {
            float v = x[xo + i * xs];
            o[oo + i * os] = v < 0 ? 0f : v;
        }
    }

    private static void reluF64(double[] x, int xo, double[] o, int oo, int n, int xs, int os) {
        for (int i = 0; i < n; i++) {
            double v = x[xo + i * xs];
            o[oo + i * os] = v < 0 ? 0.0 : v;
        }
    }

    /**
     * {@code x <= threshold ? 0 : grad}: the gradient passes where the input (for ReLU, its
     * saved output) is above the threshold, and where it is NaN.
     */
    static void thresholdBackward(NDArray grad, NDArray x, double threshold, NDArray out) {
        if (grad.isContiguous() && x.isContiguous() && out.isContiguous()) {
            int go = grad.offset();
            int xo = x.offset();
            int oo = out.offset();
            if (out.dtype() == DType.F32) {
                float[] g = floats(grad);
                float[] in = floats(x);
                float[] o = floats(out);
                CpuThreads.parallelFor(out.numel(), GRAIN, (from, to) ->
                        backwardF32Contiguous(g, go + from, in, xo + from, threshold, o, oo + from, to - from));
            } else {
                double[] g = doubles(grad);
                double[] in = doubles(x);
                double[] o = doubles(out);
                CpuThreads.parallelFor(out.numel(), GRAIN, (from, to) ->
                        backwardF64(g, go + from, in, xo + from, threshold, o, oo + from, to - from, 1, 1, 1));
            }
            return;
        }
        StridedLoop loop = StridedLoop.of(out.dims(), out.strides(), grad.strides(), x.strides());
        int os = loop.innerStride(0);
        int gs = loop.innerStride(1);
        int xs = loop.innerStride(2);
        int[] base = {out.offset(), grad.offset(), x.offset()};
        if (out.dtype() == DType.F32) {
            float[] g = floats(grad);
            float[] in = floats(x);
            float[] o = floats(out);
            if (gs == 1 && xs == 1 && os == 1) {
                loop.runParallel(base, GRAIN, (off, n) ->
                        backwardF32Contiguous(g, off[1], in, off[2], threshold, o, off[0], n));
            } else {
                loop.runParallel(base, GRAIN, (off, n) ->
                        backwardF32(g, off[1], in, off[2], threshold, o, off[0], n, gs, xs, os));
            }
        } else {
            double[] g = doubles(grad);
            double[] in = doubles(x);
            double[] o = doubles(out);
            loop.runParallel(base, GRAIN, (off, n) -> backwardF64(g, off[1], in, off[2], threshold, o, off[0], n, gs, xs, os));
        }
    }

    /** {@link #backwardF32} on unit strides, a vector at a time (NaN compares false, so its gradient passes). */
    private static void backwardF32Contiguous(float[] g, int go, float[] x, int xo, double threshold, float[] o, int oo,
                                              int n) {
        float t = (float) threshold;
        if (t != threshold) {
            backwardF32(g, go, x, xo, threshold, o, oo, n, 1, 1, 1); // a float comparison would not be the same test
            return;
        }
        FloatVector zero = FloatVector.zero(F);
        int i = 0;
        for (int upper = F.loopBound(n); i < upper; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, x, xo + i);
            FloatVector.fromArray(F, g, go + i).blend(zero, v.compare(VectorOperators.LE, t)).intoArray(o, oo + i);
        }
        backwardF32(g, go + i, x, xo + i, threshold, o, oo + i, n - i, 1, 1, 1);
    }

    private static void backwardF32(float[] g, int go, float[] x, int xo, double threshold, float[] o, int oo, int n,
                                    int gs, int xs, int os) {
        // The F32 value widens exactly, so the comparison is the same as PyTorch's in float
        // for any threshold that is a float (0 for ReLU).
        for (int i = 0; i < n; i++) {
            o[oo + i * os] = x[xo + i * xs] <= threshold ? 0f : g[go + i * gs];
        }
    }

    private static void backwardF64(double[] g, int go, double[] x, int xo, double threshold, double[] o, int oo, int n,
                                    int gs, int xs, int os) {
        for (int i = 0; i < n; i++) {
            o[oo + i * os] = x[xo + i * xs] <= threshold ? 0.0 : g[go + i * gs];
        }
    }

    // ------------------------------------------------------------ scalar references

    /** The definition of {@link #forward}, one element at a time through the storage. */
    static void forwardReference(NDArray x, NDArray out) {
        CpuStorage xs = (CpuStorage) x.storage();
        CpuStorage os = (CpuStorage) out.storage();
        int[] index = new int[out.dims().length];
        for (int k = 0; k < out.numel(); k++) {
            double v = xs.getDouble(at(x, index));
            os.setDouble(at(out, index), v < 0 ? 0.0 : v);
            next(index, out.dims());
        }
    }

    /** The definition of {@link #thresholdBackward}, one element at a time through the storage. */
    static void thresholdBackwardReference(NDArray grad, NDArray x, double threshold, NDArray out) {
        CpuStorage gs = (CpuStorage) grad.storage();
        CpuStorage xs = (CpuStorage) x.storage();
        CpuStorage os = (CpuStorage) out.storage();
        int[] index = new int[out.dims().length];
        for (int k = 0; k < out.numel(); k++) {
            double v = xs.getDouble(at(x, index));
            os.setDouble(at(out, index), v <= threshold ? 0.0 : gs.getDouble(at(grad, index)));
            next(index, out.dims());
        }
    }

    private static int at(NDArray a, int[] index) {
        int p = a.offset();
        for (int d = 0; d < index.length; d++) {
            p += index[d] * a.stride(d);
        }
        return p;
    }

    private static void next(int[] index, int[] dims) {
        for (int d = index.length - 1; d >= 0; d--) {
            if (++index[d] < dims[d]) {
                return;
            }
            index[d] = 0;
        }
    }

    private static float[] floats(NDArray a) {
        return ((CpuStorage) a.storage()).floats();
    }

    private static double[] doubles(NDArray a) {
        return ((CpuStorage) a.storage()).doubles();
    }
}
