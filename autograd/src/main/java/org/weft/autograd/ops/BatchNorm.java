package org.weft.autograd.ops;

import java.util.Arrays;
import org.weft.autograd.Tensor;
import org.weft.tensor.NDArray;
import org.weft.tensor.Normalization;

/**
 * Batch norm of {@code x [N, C, ...]} with optional per-channel weight and bias (the inputs
 * are x, then the weight and the bias that are present). In training it normalises by the
 * batch's statistics, updates the running statistics in place, and its gradient flows through
 * the batch statistics; in evaluation the running statistics are constants and the op is affine.
 */
public final class BatchNorm extends AffineNormalization {

    private final NDArray runningMean;
    private final NDArray runningVar;
    private final boolean training;
    private final double momentum;

    /** The running statistics may be null in training (then nothing is tracked). */
    public BatchNorm(NDArray runningMean, NDArray runningVar, boolean hasWeight, boolean hasBias, boolean training,
                     double momentum, double eps) {
        super(hasWeight, hasBias, eps);
        this.runningMean = runningMean;
        this.runningVar = runningVar;
        this.training = training;
        this.momentum = momentum;
    }

    @Override
    Normalization.Normalized normalize(NDArray x, NDArray weight, NDArray bias) {
        return Normalization.batchNorm(x, runningMean, runningVar, weight, bias, training, momentum, eps);
    }

    @Override
    Normalization.Gradients fusedGradients(NDArray grad, NDArray x, NDArray weight, boolean needX, boolean needW,
                                           boolean needB) {
        return Normalization.batchNormBackward(grad, x, weight, mean, invstd, training, needX, needW, needB);
    }

    @Override
    Tensor[] composedGradients(Tensor grad, Tensor x, Tensor weight, boolean needX, boolean needW, boolean needB) {
        int[] perChannel = new int[x.dim()];
        Arrays.fill(perChannel, 1);
        perChannel[1] = x.size(1);
        int[] notChannel = new int[x.dim() - 1];
        for (int d = 0, j = 0; d < x.dim(); d++) {
            if (d != 1) {
                notChannel[j++] = d;
            }
        }
        Tensor w = weight == null ? null : weight.reshape(perChannel);
        return training
                ? NormGradients.throughStatistics(grad, x, w, notChannel, notChannel, eps, needX, needW, needB)
                : NormGradients.withFixedStatistics(grad, x, w, Tensor.of(mean.view(perChannel)),
                        Tensor.of(invstd.view(perChannel)), notChannel, needX, needW, needB);
    }
}
