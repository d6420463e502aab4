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
 * each row's sum in a scratch row in cache and normalises it; the backward walks the bias's
 * {@code H N} rows, each over all W windows, so the logits' gradient is written once and the
 * bias's is summed in a double row in cache, with no race between threads and no temporary.
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
        boolean f32 = logits.dtype() == DType.F32;
        CpuThreads.parallelFor(rows, Lanes.grain(3 * m), (from, to) -> {
            float[] vf = f32 ? new float[m] : null;
            double[] vd = f32 ? null : new double[m];
            double[] add = f32 ? null : new double[m];
            for (int row = from; row < to; row++) {
                int i = row % n;
                int h = row / n % heads;
                int w = row / (n * heads);
                int lo = logits.offset() + w * logits.stride(0) + h * logits.stride(1) + i * logits.stride(2);
                int bo = bias.offset() + h * bias.stride(0) + i * bias.stride(1);
                int mo = mask == null ? 0 : mask.offset() + (w % mask.size(0)) * mask.stride(0) + i * mask.stride(1);
                int oo = out.offset() + w * out.stride(0) + h * out.stride(1) + i * out.stride(2);
                if (f32) {
                    float[] o = ((CpuStorage) out.storage()).floats();
                    CpuSoftmax.gather(((CpuStorage) logits.storage()).floats(), lo, logits.stride(3), m, vf);
                    addRow(((CpuStorage) bias.storage()).floats(), bo, bias.stride(2), vf, m);
                    if (mask != null) {
                        addRow(((CpuStorage) mask.storage()).floats(), mo, mask.stride(2), vf, m);
                    }
                    if (out.stride(3) == 1) {
                        CpuSoftmax.softmaxRow(vf, 0, o, oo, m, false);
                    } else {
                        CpuSoftmax.softmaxRow(vf, 0, vf, 0, m, false);
                        CpuSoftmax.scatter(vf, m, o, oo, out.stride(3));
                    }
                } else {
                    Lanes.load(logits, lo, logits.stride(3), m, vd);
                    Lanes.load(bias, bo, bias.stride(2), m, add);
                    for (int k = 0; k < m; k++) {
                        vd[k] += add[k];
                    }
                    if (mask != null) {
                        Lanes.load(mask, mo, mask.stride(2), m, add);
                        for (int k = 0; k < m; k++) {
                            vd[k] += add[k];
                        }
                    }
                    CpuSoftmax.softmaxInPlace(vd, m);
                    Lanes.store(vd, m, out, oo, out.stride(3));
                }
            }
        });
    }

    /**
     * {@code gradLogits = y (grad - sum(grad y))} along the last dimension, and
     * {@code gradBias[h, i] = sum over w of gradLogits[w, h, i]}; either output may be null.
     */
    static void backward(NDArray y, NDArray grad, NDArray gradLogits, NDArray gradBias) {
        int windows = y.size(0);
        int heads = y.size(1);
        int n = y.size(2);
        int m = y.size(3);
        if (heads * n == 0 || m == 0) {
            return;
        }
        boolean f32 = y.dtype() == DType.F32;
        CpuThreads.parallelFor(heads * n, Lanes.grain(3 * m * Math.max(1, windows)), (from, to) -> {
            float[] yf = f32 ? new float[m] : null;
            float[] gf = f32 ? new float[m] : null;
            double[] yd = f32 ? null : new double[m];
            double[] gd = f32 ? null : new double[m];
            double[] sum = new double[m];
            for (int hi = from; hi < to; hi++) {
                int h = hi / n;
                int i = hi % n;
                java.util.Arrays.fill(sum, 0);
                for (int w = 0; w < windows; w++) {
                    int yo = y.offset() + w * y.stride(0) + h * y.stride(1) + i * y.stride(2);
                    int go = grad.offset() + w * grad.stride(0) + h * grad.stride(1) + i * grad.stride(2);
                    if (f32) {
                        CpuSoftmax.gather(((CpuStorage) y.storage()).floats(), yo, y.stride(3), m, yf);
                        CpuSoftmax.gather(((CpuStorage) grad.storage()).floats(), go, grad.stride(3), m, gf);
                        softmaxGradient(yf, gf, m);
                        for (int k = 0; k < m; k++) {
                            sum[k] += gf[k];
                        }
                        if (gradLogits != null) {
                            int oo = gradLogits.offset() + w * gradLogits.stride(0) + h * gradLogits.stride(1)
                                    + i * gradLogits.stride(2);
                            CpuSoftmax.scatter(gf, m, ((CpuStorage) gradLogits.storage()).floats(), oo,
                                    gradLogits.stride(3));
                        }
                    } else {
                        Lanes.load(y, yo, y.stride(3), m, yd);
                        Lanes.load(grad, go, grad.stride(3), m, gd);
                        double dot = 0;
                        for (int k = 0; k < m; k++) {
                            dot += gd[k] * yd[k];
                        }
                        for (int k = 0; k < m; k++) {
                            gd[k] = yd[k] * (gd[k] - dot);
                            sum[k] += gd[k];
                        }
                        if (gradLogits != null) {
                            int oo = gradLogits.offset() + w * gradLogits.stride(0) + h * gradLogits.stride(1)
                                    + i * gradLogits.stride(2);
                            Lanes.store(gd, m, gradLogits, oo, gradLogits.stride(3));
                        }
                    }
                }
                if (gradBias != null) {
                    Lanes.store(sum, m, gradBias, gradBias.offset() + h * gradBias.stride(0) + i * gradBias.stride(1),
                            gradBias.stride(2));
                }
            }
        });
    }

    /** {@code v[k] += src[offset + k * stride]}, vectorised when the source is contiguous. */
    private static void addRow(float[] src, int offset, int stride, float[] v, int m) {
        int k = 0;
        if (stride == 1) {
            for (int upper = ExpF32.F.loopBound(m); k < upper; k += ExpF32.F.length()) {
                FloatVector.fromArray(ExpF32.F, v, k).add(FloatVector.fromArray(ExpF32.F, src, offset + k))
                        .intoArray(v, k);
            }
        }
        for (; k < m; k++) {
            v[k] += src[offset + k * stride];
        }
    }

    /** {@code g = y (g - sum(g y))} for one row of softmax output y and upstream gradient g, in float lanes. */
    static void softmaxGradient(float[] y, float[] g, int m) {
        int k = 0;
        FloatVector acc = FloatVector.zero(ExpF32.F);
        int upper = ExpF32.F.loopBound(m);
        for (; k < upper; k += ExpF32.F.length()) {
            acc = FloatVector.fromArray(ExpF32.F, g, k).fma(FloatVector.fromArray(ExpF32.F, y, k), acc);
        }
        float dot = acc.reduceLanes(VectorOperators.ADD);
        for (; k < m; k++) {
            dot += g[k] * y[k];
        }
        for (k = 0; k < upper; k += ExpF32.F.length()) {
            FloatVector.fromArray(ExpF32.F, g, k).sub(dot).mul(FloatVector.fromArray(ExpF32.F, y, k)).intoArray(g, k);
        }
        for (; k < m; k++) {
            g[k] = y[k] * (g[k] - dot);
        }
    }
}
