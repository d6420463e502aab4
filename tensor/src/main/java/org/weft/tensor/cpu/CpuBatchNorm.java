package org.weft.tensor.cpu;

import org.weft.tensor.NDArray;

/**
 * Batch norm on {@code [N, C, S]}: per-channel statistics, the affine normalisation and its
 * backward. Channels are independent, so they are split over the threads.
 *
 * <p>One channel is the {@code [N, S]} block {@code x[:, c, :]}. It is walked as rows of
 * lanes along its longer side (along S for images, along N for {@code [N, C]} inputs where
 * S is one), so every lane load moves a long run. The variance is computed in two passes
 * (mean first, then squared deviations from it), which stays accurate when the mean is large
 * next to the spread.
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

    static void apply(NDArray x, NDArray mean, NDArray invstd, NDArray weight, NDArray bias, NDArray out) {
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
    static void backward(NDArray grad, NDArray x, NDArray mean, NDArray invstd, NDArray weight, boolean training,
                         NDArray gradInput, NDArray gradWeight, NDArray gradBias) {
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
