package org.weft.autograd.ops;

import java.util.Arrays;
import org.weft.autograd.Function;
import org.weft.autograd.Grad;
import org.weft.autograd.Tensor;
import org.weft.tensor.NDArray;
import org.weft.tensor.Normalization;

/**
 * Batch norm of {@code x [N, C, ...]} with optional per-channel weight and bias (the inputs
 * are x, then the weight and the bias that are present). In training it normalises by the
 * batch's statistics, updates the running statistics in place, and its gradient flows through
 * the batch statistics; in evaluation the running statistics are constants and the op is affine.
 */
public final class BatchNorm extends Function {

    private final NDArray runningMean;
    private final NDArray runningVar;
    private final boolean hasWeight;
    private final boolean hasBias;
    private final boolean training;
    private final double momentum;
    private final double eps;
    private NDArray mean;
    private NDArray invstd;

    /** The running statistics may be null in training (then nothing is tracked). */
    public BatchNorm(NDArray runningMean, NDArray runningVar, boolean hasWeight, boolean hasBias, boolean training,
                     double momentum, double eps) {
        this.runningMean = runningMean;
        this.runningVar = runningVar;
        this.hasWeight = hasWeight;
        this.hasBias = hasBias;
        this.training = training;
        this.momentum = momentum;
        this.eps = eps;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor weight = hasWeight ? in[1] : null;
        Tensor bias = hasBias ? in[hasWeight ? 2 : 1] : null;
        Normalization.Normalized r = Normalization.batchNorm(in[0].data(), runningMean, runningVar,
                weight == null ? null : weight.data(), bias == null ? null : bias.data(), training, momentum, eps);
        mean = r.mean();
        invstd = r.invstd();
        saveForBackward(in[0], weight);
        return result(r.output());
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        Tensor x = saved(0);
        Tensor weight = saved(1);
        boolean needX = needsInputGrad(0);
        boolean needW = hasWeight && needsInputGrad(1);
        boolean needB = hasBias && needsInputGrad(hasWeight ? 2 : 1);
        Tensor[] g;
        if (Grad.isEnabled()) { // a graph of the gradient is wanted: build it from tensor ops
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
            g = training
                    ? NormGradients.throughStatistics(grad, x, w, notChannel, notChannel, eps, needX, needW, needB)
                    : NormGradients.withFixedStatistics(grad, x, w, Tensor.of(mean.view(perChannel)),
                            Tensor.of(invstd.view(perChannel)), notChannel, needX, needW, needB);
        } else {
            Normalization.Gradients r = Normalization.batchNormBackward(grad.data(), x.data(),
                    weight == null ? null : weight.data(), mean, invstd, training, needX, needW, needB);
            g = NormGradients.of(r);
        }
        return NormGradients.forInputs(g, hasWeight, hasBias);
    }
}
