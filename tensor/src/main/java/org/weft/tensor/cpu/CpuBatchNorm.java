package org.weft.tensor.cpu;

import org.weft.tensor.DType;
import org.weft.tensor.NDArray;

/**
 * Batch norm on {@code [N, C, S]}: per-channel statistics, the affine normalisation and its
 * backward. Channels are independent, so they are split over the threads.
 *
 * <p>One channel is the {@code [N, S]} block {@code x[:, c, :]}. It is walked as rows of
 * lanes along its longer side (along S for images, along N for {@code [N, C]} inputs where
 * S is one), so every lane load moves a long run.
 *
 * <p>Versions. The references (the {@code ...Reference} methods, which serve F64) copy each
 * lane into a double scratch row and compute the variance in two passes (mean first, then
 * squared deviations from it). The F32 kernels read the float arrays in place, sum in double
 * with four independent accumulators (so the adds pipeline instead of waiting on each other),
 * and take the mean and variance in one pass as sums of {@code x - K} and {@code (x - K)^2}
 * around a shift K, the channel's first element: shifting by a value of the data keeps
 * {@code E[(x-K)^2] - E[x-K]^2} free of the cancellation that makes {@code E[x^2] - E[x]^2}
 * useless when the mean is large next to the spread. In a training step this halves the
 * reads of the largest activations, which do not fit in cache. The normalisation and the
 * input gradient compute each element with the same double formula as the references, so
 * they differ from them only through the summation order of the sums.
 */
final class CpuBatchNorm {

    private CpuBatchNorm() {
    }

    /** The walk over one channel of an {@code [N, C, S]} array: {@code rows} lanes of {@code cols} elements. */
    private record Walk(int rows, int cols, boolean alongSpatial) {

        static Walk of(NDArray x) {
            int n = x.size(0);
            int s = x.size(2);
            return s >= n ? new Walk(n, s, true) : new Walk(s, n, false);
        }

        /** Where row {@code r} of channel {@code c} of {@code a} starts. */
        int start(NDArray a, int c, int r) {
            return a.offset() + c * a.stride(1) + r * (alongSpatial ? a.stride(0) : a.stride(2));
        }

        /** The stride along a lane of {@code a}. */
        int step(NDArray a) {
            return alongSpatial ? a.stride(2) : a.stride(0);
        }
    }

    static void channelMoments(NDArray x, NDArray mean, NDArray var) {
        if (x.dtype() != DType.F32) {
            channelMomentsReference(x, mean, var);
            return;
        }
        int channels = x.size(1);
        Walk w = Walk.of(x);
        double count = (double) w.rows * w.cols;
        float[] xs = ((CpuStorage) x.storage()).floats();
        int step = w.step(x);
        double[] means = new double[channels];
        double[] vars = new double[channels];
        CpuThreads.parallelFor(channels, Lanes.grain(w.rows * w.cols), (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                double shift = xs[w.start(x, c, 0)];
                double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                double q0 = 0, q1 = 0, q2 = 0, q3 = 0;
                for (int r = 0; r < w.rows; r++) {
                    int p = w.start(x, c, r);
                    int k = 0;
                    for (; k + 3 < w.cols; k += 4, p += 4 * step) {
                        double d0 = xs[p] - shift;
                        double d1 = xs[p + step] - shift;
                        double d2 = xs[p + 2 * step] - shift;
                        double d3 = xs[p + 3 * step] - shift;
                        s0 += d0;
                        s1 += d1;
                        s2 += d2;
                        s3 += d3;
                        q0 += d0 * d0;
                        q1 += d1 * d1;
                        q2 += d2 * d2;
                        q3 += d3 * d3;
                    }
                    for (; k < w.cols; k++, p += step) {
                        double d = xs[p] - shift;
                        s0 += d;
                        q0 += d * d;
                    }
                }
                double meanShifted = (s0 + s1 + s2 + s3) / count;
                means[c] = shift + meanShifted;
                vars[c] = Math.max(0, (q0 + q1 + q2 + q3) / count - meanShifted * meanShifted);
            }
        });
        Lanes.storeVector(means, mean);
        Lanes.storeVector(vars, var);
    }

    static void apply(NDArray x, NDArray mean, NDArray invstd, NDArray weight, NDArray bias, NDArray out) {
        if (x.dtype() != DType.F32) {
            applyReference(x, mean, invstd, weight, bias, out);
            return;
        }
        int channels = x.size(1);
        Walk w = Walk.of(x);
        double[] mu = Lanes.vector(mean);
        double[] inv = Lanes.vector(invstd);
        double[] gamma = Lanes.vector(weight);
        double[] beta = Lanes.vector(bias);
        float[] xs = ((CpuStorage) x.storage()).floats();
        float[] os = ((CpuStorage) out.storage()).floats();
        int xStep = w.step(x);
        int oStep = w.step(out);
        CpuThreads.parallelFor(channels, Lanes.grain(w.rows * w.cols), (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                double scale = inv[c] * (gamma == null ? 1 : gamma[c]);
                double shift = (beta == null ? 0 : beta[c]) - mu[c] * scale;
                for (int r = 0; r < w.rows; r++) {
                    int p = w.start(x, c, r);
                    int q = w.start(out, c, r);
                    for (int k = 0; k < w.cols; k++, p += xStep, q += oStep) {
                        os[q] = (float) (xs[p] * scale + shift);
                    }
                }
            }
        });
    }

    /** {@link #backwardReference}'s formulas on F32, reading the arrays in place; two passes over each channel. */
    static void backward(NDArray grad, NDArray x, NDArray mean, NDArray invstd, NDArray weight, boolean training,
                         NDArray gradInput, NDArray gradWeight, NDArray gradBias) {
        if (x.dtype() != DType.F32) {
            backwardReference(grad, x, mean, invstd, weight, training, gradInput, gradWeight, gradBias);
            return;
        }
        int channels = x.size(1);
        Walk w = Walk.of(x);
        double count = (double) w.rows * w.cols;
        double[] mu = Lanes.vector(mean);
        double[] inv = Lanes.vector(invstd);
        double[] gamma = Lanes.vector(weight);
        double[] sumG = new double[channels];
        double[] sumGXhat = new double[channels];
        boolean needSums = gradWeight != null || gradBias != null || (training && gradInput != null);
        float[] gs = ((CpuStorage) grad.storage()).floats();
        float[] xs = ((CpuStorage) x.storage()).floats();
        float[] is = gradInput == null ? null : ((CpuStorage) gradInput.storage()).floats();
        int gStep = w.step(grad);
        int xStep = w.step(x);
        int iStep = gradInput == null ? 0 : w.step(gradInput);
        CpuThreads.parallelFor(channels, Lanes.grain(w.rows * w.cols), (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                double m = mu[c];
                if (needSums) {
                    double g0 = 0, g1 = 0, g2 = 0, g3 = 0;
                    double h0 = 0, h1 = 0, h2 = 0, h3 = 0;
                    for (int r = 0; r < w.rows; r++) {
                        int p = w.start(grad, c, r);
                        int q = w.start(x, c, r);
                        int k = 0;
                        for (; k + 3 < w.cols; k += 4, p += 4 * gStep, q += 4 * xStep) {
                            double a0 = gs[p];
                            double a1 = gs[p + gStep];
                            double a2 = gs[p + 2 * gStep];
                            double a3 = gs[p + 3 * gStep];
                            g0 += a0;
                            g1 += a1;
                            g2 += a2;
                            g3 += a3;
                            h0 += a0 * (xs[q] - m);
                            h1 += a1 * (xs[q + xStep] - m);
                            h2 += a2 * (xs[q + 2 * xStep] - m);
                            h3 += a3 * (xs[q + 3 * xStep] - m);
                        }
                        for (; k < w.cols; k++, p += gStep, q += xStep) {
                            g0 += gs[p];
                            h0 += gs[p] * (xs[q] - m);
                        }
                    }
                    sumG[c] = g0 + g1 + g2 + g3;
                    sumGXhat[c] = (h0 + h1 + h2 + h3) * inv[c];
                }
                if (is == null) {
                    continue;
                }
                double k0 = inv[c] * (gamma == null ? 1 : gamma[c]);
                double meanG = training ? sumG[c] / count : 0;
                double coef = training ? inv[c] * sumGXhat[c] / count : 0;
                for (int r = 0; r < w.rows; r++) {
                    int p = w.start(grad, c, r);
                    int q = w.start(x, c, r);
                    int o = w.start(gradInput, c, r);
                    if (training) {
                        for (int k = 0; k < w.cols; k++, p += gStep, q += xStep, o += iStep) {
                            is[o] = (float) (k0 * (gs[p] - meanG - (xs[q] - m) * coef));
                        }
                    } else {
                        for (int k = 0; k < w.cols; k++, p += gStep, o += iStep) {
                            is[o] = (float) (k0 * gs[p]);
                        }
                    }
                }
            }
        });
        if (gradWeight != null) {
            Lanes.storeVector(sumGXhat, gradWeight);
        }
        if (gradBias != null) {
            Lanes.storeVector(sumG, gradBias);
        }
    }


    /** The definition of {@link #channelMoments}: two passes, each lane through a double scratch row. */
    static void channelMomentsReference(NDArray x, NDArray mean, NDArray var) {
        int channels = x.size(1);
        Walk w = Walk.of(x);
        double count = (double) w.rows * w.cols;
        double[] means = new double[channels];
        double[] vars = new double[channels];
        CpuThreads.parallelFor(channels, Lanes.grain(w.rows * w.cols), (c0, c1) -> {
            double[] v = new double[w.cols];
            for (int c = c0; c < c1; c++) {
                double sum = 0;
                for (int r = 0; r < w.rows; r++) {
                    Lanes.load(x, w.start(x, c, r), w.step(x), w.cols, v);
                    for (int k = 0; k < w.cols; k++) {
                        sum += v[k];
                    }
                }
                double mu = sum / count;
                double sq = 0;
                for (int r = 0; r < w.rows; r++) {
                    Lanes.load(x, w.start(x, c, r), w.step(x), w.cols, v);
                    for (int k = 0; k < w.cols; k++) {
                        double d = v[k] - mu;
                        sq += d * d;
                    }
                }
                means[c] = mu;
                vars[c] = sq / count;
            }
        });
        Lanes.storeVector(means, mean);
        Lanes.storeVector(vars, var);
    }

    /** The definition of {@link #apply}, each lane through a double scratch row. */
    static void applyReference(NDArray x, NDArray mean, NDArray invstd, NDArray weight, NDArray bias, NDArray out) {
        int channels = x.size(1);
        Walk w = Walk.of(x);
        double[] mu = Lanes.vector(mean);
        double[] inv = Lanes.vector(invstd);
        double[] gamma = Lanes.vector(weight);
        double[] beta = Lanes.vector(bias);
        CpuThreads.parallelFor(channels, Lanes.grain(w.rows * w.cols), (c0, c1) -> {
            double[] v = new double[w.cols];
            for (int c = c0; c < c1; c++) {
                // (x - mu) * inv * gamma + beta, folded into one multiply-add per element.
                double scale = inv[c] * (gamma == null ? 1 : gamma[c]);
                double shift = (beta == null ? 0 : beta[c]) - mu[c] * scale;
                for (int r = 0; r < w.rows; r++) {
                    Lanes.load(x, w.start(x, c, r), w.step(x), w.cols, v);
                    for (int k = 0; k < w.cols; k++) {
                        v[k] = v[k] * scale + shift;
                    }
                    Lanes.store(v, w.cols, out, w.start(out, c, r), w.step(out));
                }
            }
        });
    }

    /**
     * With {@code xhat = (x - mean) * invstd} and {@code M = N * S}: {@code gradBias = sum g},
     * {@code gradWeight = sum g * xhat}, and the input's gradient
     * {@code weight * invstd * (g - sum g / M - xhat * sum(g * xhat) / M)} in training (the two
     * subtracted terms are the paths through the batch mean and variance) or
     * {@code weight * invstd * g} with fixed statistics.
     */
    static void backwardReference(NDArray grad, NDArray x, NDArray mean, NDArray invstd, NDArray weight,
                                  boolean training, NDArray gradInput, NDArray gradWeight, NDArray gradBias) {
        int channels = x.size(1);
        Walk w = Walk.of(x);
        double count = (double) w.rows * w.cols;
        double[] mu = Lanes.vector(mean);
        double[] inv = Lanes.vector(invstd);
        double[] gamma = Lanes.vector(weight);
        double[] sumG = new double[channels];
        double[] sumGXhat = new double[channels];
        boolean needSums = gradWeight != null || gradBias != null || (training && gradInput != null);
        CpuThreads.parallelFor(channels, Lanes.grain(w.rows * w.cols), (c0, c1) -> {
            double[] g = new double[w.cols];
            double[] v = new double[w.cols];
            for (int c = c0; c < c1; c++) {
                if (needSums) {
                    double sg = 0;
                    double sgx = 0;
                    for (int r = 0; r < w.rows; r++) {
                        Lanes.load(grad, w.start(grad, c, r), w.step(grad), w.cols, g);
                        Lanes.load(x, w.start(x, c, r), w.step(x), w.cols, v);
                        for (int k = 0; k < w.cols; k++) {
                            sg += g[k];
                            sgx += g[k] * (v[k] - mu[c]);
                        }
                    }
                    sumG[c] = sg;
                    sumGXhat[c] = sgx * inv[c];
                }
                if (gradInput == null) {
                    continue;
                }
                double k0 = inv[c] * (gamma == null ? 1 : gamma[c]);
                double meanG = training ? sumG[c] / count : 0;
                // xhat * sum(g * xhat) / M, with xhat = (x - mu) * inv, as (x - mu) * coef.
                double coef = training ? inv[c] * sumGXhat[c] / count : 0;
                for (int r = 0; r < w.rows; r++) {
                    Lanes.load(grad, w.start(grad, c, r), w.step(grad), w.cols, g);
                    if (training) {
                        Lanes.load(x, w.start(x, c, r), w.step(x), w.cols, v);
                        for (int k = 0; k < w.cols; k++) {
                            g[k] = k0 * (g[k] - meanG - (v[k] - mu[c]) * coef);
                        }
                    } else {
                        for (int k = 0; k < w.cols; k++) {
                            g[k] = k0 * g[k];
                        }
                    }
                    Lanes.store(g, w.cols, gradInput, w.start(gradInput, c, r), w.step(gradInput));
                }
            }
        });
        if (gradWeight != null) {
            Lanes.storeVector(sumGXhat, gradWeight);
        }
        if (gradBias != null) {
            Lanes.storeVector(sumG, gradBias);
        }
    }
}
