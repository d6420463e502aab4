package org.weft.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;

/**
 * Softmax of window-attention logits plus a bias shared by all windows and an optional mask
 * per window position, and its gradients, each in one pass: Swin's
 * {@code softmax(q k^T + relative_position_bias + shift_mask, -1)}.
 *
 * <p>Composed of separate ops, the forward reads and writes the {@code [W, H, N, M]} logits
 * three times (two additions and the softmax) and the backward, {@code y (g - sum(g y))} and a
 * sum over W for the bias, five times with four full-size temporaries. Here the forward forms
 * each row's sum in a scratch row in cache and normalises it; the backward reads y and g once
 * and writes the logits' gradient once, in memory order, summing the bias's gradient into a
 * bias-sized partial per part of the windows (a first version instead walked the bias's {@code H N}
 * rows, each over all W windows, which needs no partials but jumps {@code H N M} floats from
 * row to row: three times slower, measured at Swin-T stage 1).
 *
 * <p>Masked logits (-100) make softmax terms far below the normal float range; computing them
 * as subnormals tripled the time of every pass, so they are flushed to zero
 * ({@link ExpF32#FLUSH}), which changes no output by more than 1.6e-38.
 *
 * <p>F32 runs in float lanes ({@link CpuSoftmax#softmaxRow}); F64 is the scalar reference,
 * the additions and {@link CpuSoftmax#softmaxInPlace} in double.
 */
final class CpuBiasedSoftmax {

    private CpuBiasedSoftmax() {
    }

    /** {@code out[w, h, i] = softmax((logits[w, h, i] + bias[h, i]) + mask[w % nW, i])} over the last dimension. */
    static void forward(NDArray logits, NDArray bias, NDArray mask, NDArray out) {
        int windows = logits.size(0);
        int heads = logits.size(1);
        int n = logits.size(2);
        int m = logits.size(3);
        int rows = windows * heads * n;
        if (rows == 0 || m == 0) {
            return;
        }
        if (logits.dtype() == DType.F32) {
            forwardF32(logits, bias, mask, out);
            return;
        }
        CpuThreads.parallelFor(rows, Lanes.grain(3 * m), (from, to) -> {
            double[] v = new double[m];
            double[] add = new double[m];
            for (int row = from; row < to; row++) {
                int i = row % n;
                int h = row / n % heads;
                int w = row / (n * heads);
                Lanes.load(logits, offset(logits, w, h, i), logits.stride(3), m, v);
                Lanes.load(bias, bias.offset() + h * bias.stride(0) + i * bias.stride(1), bias.stride(2), m, add);
                for (int k = 0; k < m; k++) {
                    v[k] += add[k];
                }
                if (mask != null) {
                    Lanes.load(mask, maskOffset(mask, w, i), mask.stride(2), m, add);
                    for (int k = 0; k < m; k++) {
                        v[k] += add[k];
                    }
                }
                CpuSoftmax.softmaxInPlace(v, m);
                Lanes.store(v, m, out, offset(out, w, h, i), out.stride(3));
            }
        });
    }

    private static void forwardF32(NDArray logits, NDArray biasIn, NDArray maskIn, NDArray out) {
        // The bias and mask are small and read once per window: a contiguous copy of a strided
        // one (Swin's bias is a permuted gather from its table) lets every row take the vector path.
        NDArray bias = biasIn.stride(2) == 1 ? biasIn : biasIn.contiguous();
        NDArray mask = maskIn == null || maskIn.stride(2) == 1 ? maskIn : maskIn.contiguous();
        int heads = logits.size(1);
        int n = logits.size(2);
        int m = logits.size(3);
        float[] ls = ((CpuStorage) logits.storage()).floats();
        float[] bs = ((CpuStorage) bias.storage()).floats();
        float[] ms = mask == null ? null : ((CpuStorage) mask.storage()).floats();
        float[] os = ((CpuStorage) out.storage()).floats();
        int ls3 = logits.stride(3);
        int bs2 = bias.stride(2);
        int ms2 = mask == null ? 1 : mask.stride(2);
        int os3 = out.stride(3);
        // The usual case, every row contiguous: one vector pass forms the sum straight from the operands.
        boolean rows = ls3 == 1 && bs2 == 1 && ms2 == 1 && os3 == 1;
        CpuThreads.parallelFor(logits.size(0) * heads * n, Lanes.grain(3 * m), (from, to) -> {
            float[] v = new float[m];
            for (int row = from; row < to; row++) {
                int i = row % n;
                int h = row / n % heads;
                int w = row / (n * heads);
                int lo = offset(logits, w, h, i);
                int bo = bias.offset() + h * bias.stride(0) + i * bias.stride(1);
                int mo = mask == null ? 0 : maskOffset(mask, w, i);
                int oo = offset(out, w, h, i);
                if (rows) {
                    sumRow(ls, lo, bs, bo, ms, mo, v, m);
                    CpuSoftmax.softmaxRow(v, 0, os, oo, m, false);
                } else {
                    CpuSoftmax.gather(ls, lo, ls3, m, v);
                    for (int k = 0; k < m; k++) {
                        v[k] += bs[bo + k * bs2];
                    }
                    if (ms != null) {
                        for (int k = 0; k < m; k++) {
                            v[k] += ms[mo + k * ms2];
                        }
                    }
                    CpuSoftmax.softmaxRow(v, 0, v, 0, m, false);
                    CpuSoftmax.scatter(v, m, os, oo, os3);
                }
            }
        });
    }

    /** Where row (w, h, i) of a {@code [W, H, N, M]} array starts in its storage. */
    private static int offset(NDArray a, int w, int h, int i) {
        return a.offset() + w * a.stride(0) + h * a.stride(1) + i * a.stride(2);
    }

    /** Where row i of window w's mask starts: windows take the masks in turn, {@code w % nW}. */
    private static int maskOffset(NDArray mask, int w, int i) {
        return mask.offset() + (w % mask.size(0)) * mask.stride(0) + i * mask.stride(1);
    }

    /** {@code v[k] = (l[lo + k] + b[bo + k]) + mask[mo + k]} (no mask term when {@code mask} is null). */
    private static void sumRow(float[] l, int lo, float[] b, int bo, float[] mask, int mo, float[] v, int m) {
        // Two loops, not one with a test: a vector assigned on only one branch would be boxed.
        int k = 0;
        int upper = ExpF32.F.loopBound(m);
        if (mask == null) {
            for (; k < upper; k += ExpF32.F.length()) {
                FloatVector.fromArray(ExpF32.F, l, lo + k).add(FloatVector.fromArray(ExpF32.F, b, bo + k))
                        .intoArray(v, k);
            }
            for (; k < m; k++) {
                v[k] = l[lo + k] + b[bo + k];
            }
        } else {
            for (; k < upper; k += ExpF32.F.length()) {
                FloatVector.fromArray(ExpF32.F, l, lo + k).add(FloatVector.fromArray(ExpF32.F, b, bo + k))
                        .add(FloatVector.fromArray(ExpF32.F, mask, mo + k)).intoArray(v, k);
            }
            for (; k < m; k++) {
                v[k] = (l[lo + k] + b[bo + k]) + mask[mo + k];
            }
        }
    }

    /**
     * {@code gradLogits = y (grad - sum(grad y))} along the last dimension, and
     * {@code gradBias[h, i] = sum over w of gradLogits[w, h, i]}; either output may be null.
     *
     * <p>The windows are cut into a few parts, each walked in memory order by one task that
     * sums its windows' gradients into a bias-sized partial of its own (in double); the
     * partials are then added in a fixed order, so the result does not depend on the threads.
     */
    static void backward(NDArray y, NDArray grad, NDArray gradLogits, NDArray gradBias) {
        int windows = y.size(0);
        int heads = y.size(1);
        int n = y.size(2);
        int m = y.size(3);
        int plane = heads * n * m;
        if (plane == 0) {
            return;
        }
        int parts = Math.max(1, Math.min(windows, 4 * CpuThreads.count()));
        double[][] partial = gradBias == null ? null : new double[parts][];
        boolean f32 = y.dtype() == DType.F32;
        CpuThreads.parallelFor(parts, 1, (pf, pt) -> {
            for (int p = pf; p < pt; p++) {
                double[] sum = gradBias == null ? null : new double[plane];
                if (f32) {
                    backwardF32(y, grad, gradLogits, sum, windows * p / parts, windows * (p + 1) / parts);
                } else {
                    backwardF64(y, grad, gradLogits, sum, windows * p / parts, windows * (p + 1) / parts);
                }
                if (partial != null) {
                    partial[p] = sum;
                }
            }
        });
        if (gradBias != null) {
            double[] total = partial[0];
            for (int p = 1; p < parts; p++) {
                for (int k = 0; k < plane; k++) {
                    total[k] += partial[p][k];
                }
            }
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < n; i++) {
                    Lanes.store(total, (h * n + i) * m, m, gradBias,
                            gradBias.offset() + h * gradBias.stride(0) + i * gradBias.stride(1), gradBias.stride(2));
                }
            }
        }
    }

    /** The gradients of windows [w0, w1): each logits row into gradLogits (if wanted), summed into {@code sum} (if not null). */
    private static void backwardF32(NDArray y, NDArray grad, NDArray gradLogits, double[] sum, int w0, int w1) {
        int heads = y.size(1);
        int n = y.size(2);
        int m = y.size(3);
        float[] ys = ((CpuStorage) y.storage()).floats();
        float[] gs = ((CpuStorage) grad.storage()).floats();
        float[] os = gradLogits == null ? null : ((CpuStorage) gradLogits.storage()).floats();
        boolean yRows = y.stride(3) == 1;
        boolean gRows = grad.stride(3) == 1;
        boolean oRows = gradLogits != null && gradLogits.stride(3) == 1;
        float[] yv = new float[m];
        float[] gv = new float[m];
        float[] ov = new float[m];
        for (int w = w0; w < w1; w++) {
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < n; i++) {
                    int yo = offset(y, w, h, i);
                    int go = offset(grad, w, h, i);
                    float[] ya = ys;
                    float[] ga = gs;
                    if (!yRows) {
                        CpuSoftmax.gather(ys, yo, y.stride(3), m, yv);
                        ya = yv;
                        yo = 0;
                    }
                    if (!gRows) {
                        CpuSoftmax.gather(gs, go, grad.stride(3), m, gv);
                        ga = gv;
                        go = 0;
                    }
                    float[] oa = oRows ? os : ov;
                    int oo = oRows ? offset(gradLogits, w, h, i) : 0;
                    softmaxGradient(ya, yo, ga, go, oa, oo, m);
                    if (gradLogits != null && !oRows) {
                        CpuSoftmax.scatter(ov, m, os, offset(gradLogits, w, h, i), gradLogits.stride(3));
                    }
                    if (sum != null) {
                        int so = (h * n + i) * m;
                        for (int k = 0; k < m; k++) {
                            sum[so + k] += oa[oo + k];
                        }
                    }
                }
            }
        }
    }

    /** The scalar reference of {@link #backwardF32}, in double, for F64. */
    private static void backwardF64(NDArray y, NDArray grad, NDArray gradLogits, double[] sum, int w0, int w1) {
        int heads = y.size(1);
        int n = y.size(2);
        int m = y.size(3);
        double[] yv = new double[m];
        double[] gv = new double[m];
        for (int w = w0; w < w1; w++) {
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < n; i++) {
                    Lanes.load(y, offset(y, w, h, i), y.stride(3), m, yv);
                    Lanes.load(grad, offset(grad, w, h, i), grad.stride(3), m, gv);
                    double dot = 0;
                    for (int k = 0; k < m; k++) {
                        dot += gv[k] * yv[k];
                    }
                    for (int k = 0; k < m; k++) {
                        gv[k] = yv[k] * (gv[k] - dot);
                    }
                    if (gradLogits != null) {
                        Lanes.store(gv, m, gradLogits, offset(gradLogits, w, h, i), gradLogits.stride(3));
                    }
                    if (sum != null) {
                        int so = (h * n + i) * m;
                        for (int k = 0; k < m; k++) {
                            sum[so + k] += gv[k];
                        }
                    }
                }
            }
        }
    }

    /** {@code o = y (g - sum(g y))} for one row of softmax output y and upstream gradient g, in float lanes. */
    static void softmaxGradient(float[] y, int yo, float[] g, int go, float[] o, int oo, int m) {
        int k = 0;
        FloatVector acc = FloatVector.zero(ExpF32.F);
        int upper = ExpF32.F.loopBound(m);
        for (; k < upper; k += ExpF32.F.length()) {
            acc = FloatVector.fromArray(ExpF32.F, g, go + k).fma(FloatVector.fromArray(ExpF32.F, y, yo + k), acc);
        }
        float dot = acc.reduceLanes(VectorOperators.ADD);
        for (; k < m; k++) {
            dot += g[go + k] * y[yo + k];
        }
        for (k = 0; k < upper; k += ExpF32.F.length()) {
            FloatVector.fromArray(ExpF32.F, g, go + k).sub(dot).mul(FloatVector.fromArray(ExpF32.F, y, yo + k))
                    .intoArray(o, oo + k);
        }
        for (; k < m; k++) {
            o[oo + k] = y[yo + k] * (g[go + k] - dot);
        }
    }
}
