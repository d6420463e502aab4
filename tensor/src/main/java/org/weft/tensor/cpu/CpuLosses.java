package org.weft.tensor.cpu;

import org.weft.tensor.NDArray;

/**
 * The classification losses at each position {@code (n, s)} of logits {@code [N, C, S]}: the
 * negative log-likelihood, and cross-entropy fused with its log-softmax so that the
 * log-probabilities are never written to memory.
 *
 * <p>Every cross-entropy variant is {@code -sum_c coef_c * log_softmax(x)_c} for a
 * per-position coefficient vector (the weighted one-hot target, plus label smoothing's
 * uniform share, or the weighted class probabilities), so forward and backward share one
 * lane computation: the loss is {@code sum_c coef_c * (lse - x_c)} with
 * {@code lse = log sum_c exp(x_c)}, and the gradient is
 * {@code softmax(x)_c * sum_k coef_k - coef_c}.
 *
 * <p>One deliberate difference from PyTorch: a class whose coefficient is zero contributes
 * nothing even when its log-probability is -inf (a -inf logit), so a probability target of 0
 * there gives a finite loss where PyTorch's {@code 0 * -inf} gives NaN.
 */
final class CpuLosses {

    private CpuLosses() {
    }

    static void targetWeights(NDArray target, NDArray weight, long ignoreIndex, NDArray out) {
        long[] t = Lanes.longGrid(target);
        double[] w = Lanes.vector(weight);
        double[] o = new double[t.length];
        for (int p = 0; p < t.length; p++) {
            o[p] = t[p] == ignoreIndex ? 0 : (w == null ? 1 : w[(int) t[p]]);
        }
        Lanes.storeGrid(o, out);
    }

    static void nllLoss(NDArray input, NDArray target, NDArray weight, long ignoreIndex, NDArray loss) {
        long[] t = Lanes.longGrid(target);
        double[] w = Lanes.vector(weight);
        CpuStorage in = (CpuStorage) input.storage();
        int spatial = input.size(2);
        double[] o = new double[t.length];
        for (int p = 0; p < t.length; p++) {
            if (t[p] == ignoreIndex) {
                continue;
            }
            int c = (int) t[p];
            int at = input.offset() + (p / spatial) * input.stride(0) + c * input.stride(1)
                    + (p % spatial) * input.stride(2);
            o[p] = -(w == null ? 1 : w[c]) * in.getDouble(at);
        }
        Lanes.storeGrid(o, loss);
    }

    /** {@code gradInput} arrives zero-filled; only the targets' elements are written. */
    static void nllLossBackward(NDArray target, NDArray weight, long ignoreIndex, NDArray scale, NDArray gradInput) {
        long[] t = Lanes.longGrid(target);
        double[] w = Lanes.vector(weight);
        double[] sc = Lanes.grid(scale);
        CpuStorage gi = (CpuStorage) gradInput.storage();
        int spatial = gradInput.size(2);
        for (int p = 0; p < t.length; p++) {
            if (t[p] == ignoreIndex) {
                continue;
            }
            int c = (int) t[p];
            int at = gradInput.offset() + (p / spatial) * gradInput.stride(0) + c * gradInput.stride(1)
                    + (p % spatial) * gradInput.stride(2);
            gi.setDouble(at, -(w == null ? 1 : w[c]) * sc[p]);
        }
    }

    /** Fills a lane's coefficient vector; false when the position is ignored (no loss, no gradient). */
    @FunctionalInterface
    private interface Coefficients {
        boolean fill(int position, double[] coef);
    }

    /** Class-index targets: the weighted one-hot target plus smoothing's weighted uniform share. */
    private static Coefficients indexCoefficients(NDArray target, NDArray weight, long ignoreIndex, double smoothing,
                                                  int classes) {
        long[] t = Lanes.longGrid(target);
        double[] w = Lanes.vector(weight);
        return (p, coef) -> {
            if (t[p] == ignoreIndex) {
                return false;
            }
            for (int c = 0; c < classes; c++) {
                coef[c] = smoothing / classes * (w == null ? 1 : w[c]);
            }
            int tc = (int) t[p];
            coef[tc] += (1 - smoothing) * (w == null ? 1 : w[tc]);
            return true;
        };
    }

    /** Class-probability targets: the weighted, smoothed probabilities. */
    private static Coefficients probabilityCoefficients(NDArray target, NDArray weight, double smoothing,
                                                        int classes) {
        double[] w = Lanes.vector(weight);
        int spatial = target.size(2);
        return (p, coef) -> {
            int n = p / spatial;
            int s = p % spatial;
            Lanes.load(target, target.offset() + n * target.stride(0) + s * target.stride(2), target.stride(1),
                    classes, coef);
            for (int c = 0; c < classes; c++) {
                coef[c] = (w == null ? 1 : w[c]) * ((1 - smoothing) * coef[c] + smoothing / classes);
            }
            return true;
        };
    }

    static void crossEntropy(NDArray logits, NDArray target, NDArray weight, long ignoreIndex, double smoothing,
                             NDArray loss) {
        forward(logits, indexCoefficients(target, weight, ignoreIndex, smoothing, logits.size(1)), loss);
    }

    static void crossEntropyBackward(NDArray logits, NDArray target, NDArray weight, long ignoreIndex,
                                     double smoothing, NDArray scale, NDArray gradLogits) {
        backward(logits, indexCoefficients(target, weight, ignoreIndex, smoothing, logits.size(1)), scale,
                gradLogits);
    }

    static void crossEntropyProbabilities(NDArray logits, NDArray target, NDArray weight, double smoothing,
                                          NDArray loss) {
        forward(logits, probabilityCoefficients(target, weight, smoothing, logits.size(1)), loss);
    }

    static void crossEntropyProbabilitiesBackward(NDArray logits, NDArray target, NDArray weight, double smoothing,
                                                  NDArray scale, NDArray gradLogits) {
        backward(logits, probabilityCoefficients(target, weight, smoothing, logits.size(1)), scale, gradLogits);
    }

    /** {@code loss[p] = sum_c coef_c * (lse - x_c)} at every position. */
    private static void forward(NDArray logits, Coefficients coefficients, NDArray loss) {
        int classes = logits.size(1);
        int spatial = logits.size(2);
        int positions = logits.size(0) * spatial;
        double[] out = new double[positions];
        CpuThreads.parallelFor(positions, Lanes.grain(classes), (p0, p1) -> {
            double[] x = new double[classes];
            double[] coef = new double[classes];
            for (int p = p0; p < p1; p++) {
                if (!coefficients.fill(p, coef)) {
                    continue;
                }
                Lanes.load(logits, laneStart(logits, p, spatial), logits.stride(1), classes, x);
                double lse = CpuSoftmax.logSumExp(x, classes);
                double sum = 0;
                for (int c = 0; c < classes; c++) {
                    if (coef[c] != 0) { // a zero coefficient times an infinite logit must not make NaN
                        sum += coef[c] * (lse - x[c]);
                    }
                }
                out[p] = sum;
            }
        });
        Lanes.storeGrid(out, loss);
    }

    /** {@code gradLogits_c = scale[p] * (softmax(x)_c * sum_k coef_k - coef_c)}; ignored lanes stay zero. */
    private static void backward(NDArray logits, Coefficients coefficients, NDArray scale, NDArray gradLogits) {
        int classes = logits.size(1);
        int spatial = logits.size(2);
        int positions = logits.size(0) * spatial;
        double[] sc = Lanes.grid(scale);
        CpuThreads.parallelFor(positions, Lanes.grain(classes), (p0, p1) -> {
            double[] x = new double[classes];
            double[] coef = new double[classes];
            for (int p = p0; p < p1; p++) {
                if (!coefficients.fill(p, coef)) {
                    continue;
                }
                Lanes.load(logits, laneStart(logits, p, spatial), logits.stride(1), classes, x);
                CpuSoftmax.softmaxInPlace(x, classes);
                double total = 0;
                for (int c = 0; c < classes; c++) {
                    total += coef[c];
                }
                for (int c = 0; c < classes; c++) {
                    x[c] = sc[p] * (x[c] * total - coef[c]);
                }
                Lanes.store(x, classes, gradLogits, laneStart(gradLogits, p, spatial), gradLogits.stride(1));
            }
        });
    }

    /** Where the class lane of position {@code p = n * spatial + s} starts in an {@code [N, C, S]} array. */
    private static int laneStart(NDArray a, int p, int spatial) {
        return a.offset() + (p / spatial) * a.stride(0) + (p % spatial) * a.stride(2);
    }
}
