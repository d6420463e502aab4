package org.weft.tensor.cpu;

import org.weft.tensor.NDArray;

/**
 * Layer norm on the rows of {@code [M, K]}: each row is loaded once into a scratch array, its
 * mean and variance are two passes in cache, and the normalised row is written once. Rows are
 * split over the threads.
 *
 * <p>The backward's weight and bias gradients sum over all rows. Each of a fixed number of
 * row blocks sums into its own partial, and the partials are added in block order afterwards,
 * so the result does not depend on how the threads were scheduled.
 */
final class CpuLayerNorm {

    private CpuLayerNorm() {
    }

    static void forward(NDArray x, NDArray weight, NDArray bias, double eps, NDArray out, NDArray mean,
                        NDArray invstd) {
        int rows = x.size(0);
        int k = x.size(1);
        double[] gamma = Lanes.vector(weight);
        double[] beta = Lanes.vector(bias);
        double[] means = new double[rows];
        double[] invs = new double[rows];
        CpuThreads.parallelFor(rows, Lanes.grain(k), (r0, r1) -> {
            double[] v = new double[k];
            for (int r = r0; r < r1; r++) {
                Lanes.load(x, x.offset() + r * x.stride(0), x.stride(1), k, v);
                double sum = 0;
                for (int j = 0; j < k; j++) {
                    sum += v[j];
                }
                double mu = sum / k;
                double sq = 0;
                for (int j = 0; j < k; j++) {
                    double d = v[j] - mu;
                    sq += d * d;
                }
                double inv = 1 / Math.sqrt(sq / k + eps);
                for (int j = 0; j < k; j++) {
                    double y = (v[j] - mu) * inv;
                    if (gamma != null) {
                        y *= gamma[j];
                    }
                    if (beta != null) {
                        y += beta[j];
                    }
                    v[j] = y;
                }
                Lanes.store(v, k, out, out.offset() + r * out.stride(0), out.stride(1));
                means[r] = mu;
                invs[r] = inv;
            }
        });
        Lanes.storeVector(means, mean);
        Lanes.storeVector(invs, invstd);
    }

    /**
     * With {@code xhat = (x - mean) * invstd} and {@code gy = g * weight} per row:
     * {@code gradInput = invstd * (gy - mean(gy) - xhat * mean(gy * xhat))},
     * {@code gradWeight = sum over rows of g * xhat}, {@code gradBias = sum over rows of g}.
     */
    static void backward(NDArray grad, NDArray x, NDArray mean, NDArray invstd, NDArray weight,
                         NDArray gradInput, NDArray gradWeight, NDArray gradBias) {
        int rows = x.size(0);
        int k = x.size(1);
        double[] mu = Lanes.vector(mean);
        double[] inv = Lanes.vector(invstd);
        double[] gamma = Lanes.vector(weight);
        boolean params = gradWeight != null || gradBias != null;
        int blocks = Math.max(1, Math.min(CpuThreads.count(), rows / Lanes.grain(k)));
        double[][] partialWeight = new double[blocks][params ? k : 0];
        double[][] partialBias = new double[blocks][params ? k : 0];
        CpuThreads.parallelFor(blocks, 1, (b0, b1) -> {
            double[] g = new double[k];
            double[] v = new double[k];
            for (int b = b0; b < b1; b++) {
                int rowFrom = (int) ((long) rows * b / blocks);
                int rowTo = (int) ((long) rows * (b + 1) / blocks);
                for (int r = rowFrom; r < rowTo; r++) {
                    Lanes.load(grad, grad.offset() + r * grad.stride(0), grad.stride(1), k, g);
                    Lanes.load(x, x.offset() + r * x.stride(0), x.stride(1), k, v);
                    for (int j = 0; j < k; j++) {
                        v[j] = (v[j] - mu[r]) * inv[r]; // v now holds xhat
                    }
                    if (params) {
                        double[] pw = partialWeight[b];
                        double[] pb = partialBias[b];
                        for (int j = 0; j < k; j++) {
                            pw[j] += g[j] * v[j];
                            pb[j] += g[j];
                        }
                    }
                    if (gradInput == null) {
                        continue;
                    }
                    double sumGy = 0;
                    double sumGyXhat = 0;
                    for (int j = 0; j < k; j++) {
                        double gy = gamma == null ? g[j] : g[j] * gamma[j];
                        g[j] = gy;
                        sumGy += gy;
                        sumGyXhat += gy * v[j];
                    }
                    double meanGy = sumGy / k;
                    double meanGyXhat = sumGyXhat / k;
                    for (int j = 0; j < k; j++) {
                        g[j] = inv[r] * (g[j] - meanGy - v[j] * meanGyXhat);
                    }
                    Lanes.store(g, k, gradInput, gradInput.offset() + r * gradInput.stride(0), gradInput.stride(1));
                }
            }
        });
        if (params) {
            double[] sumW = new double[k];
            double[] sumB = new double[k];
            for (int b = 0; b < blocks; b++) {
                for (int j = 0; j < k; j++) {
                    sumW[j] += partialWeight[b][j];
                    sumB[j] += partialBias[b][j];
                }
            }
            if (gradWeight != null) {
                Lanes.storeVector(sumW, gradWeight);
            }
            if (gradBias != null) {
                Lanes.storeVector(sumB, gradBias);
            }
        }
    }
}
