package org.weft.tensor.cpu;

import org.weft.tensor.NDArray;
import org.weft.tensor.backend.NormKernels;

/**
 * Normalisation, softmax and the fused losses: each family member lives in its own class
 * ({@link CpuSoftmax}, {@link CpuBiasedSoftmax}, {@link CpuBatchNorm}, {@link CpuLayerNorm}, {@link CpuLosses}), all
 * built on {@link Lanes}.
 */
final class CpuNorm implements NormKernels {

    @Override
    public void softmax(NDArray x, boolean log, NDArray out) {
        CpuSoftmax.softmax(x, log, out);
    }

    @Override
    public void biasedSoftmax(NDArray logits, NDArray bias, NDArray mask, NDArray out) {
        CpuBiasedSoftmax.forward(logits, bias, mask, out);
    }

    @Override
    public void biasedSoftmaxBackward(NDArray y, NDArray grad, NDArray gradLogits, NDArray gradBias) {
        CpuBiasedSoftmax.backward(y, grad, gradLogits, gradBias);
    }

    @Override
    public void channelMoments(NDArray x, NDArray mean, NDArray var) {
        CpuBatchNorm.channelMoments(x, mean, var);
    }

    @Override
    public void batchNormApply(NDArray x, NDArray mean, NDArray invstd, NDArray weight, NDArray bias, NDArray out) {
        CpuBatchNorm.apply(x, mean, invstd, weight, bias, out);
    }

    @Override
    public void batchNormBackward(NDArray grad, NDArray x, NDArray mean, NDArray invstd, NDArray weight,
                                  boolean training, NDArray gradInput, NDArray gradWeight, NDArray gradBias) {
        CpuBatchNorm.backward(grad, x, mean, invstd, weight, training, gradInput, gradWeight, gradBias);
    }

    @Override
    public void layerNorm(NDArray x, NDArray weight, NDArray bias, double eps, NDArray out, NDArray mean,
                          NDArray invstd) {
        CpuLayerNorm.forward(x, weight, bias, eps, out, mean, invstd);
    }

    @Override
    public void layerNormBackward(NDArray grad, NDArray x, NDArray mean, NDArray invstd, NDArray weight,
                                  NDArray gradInput, NDArray gradWeight, NDArray gradBias) {
        CpuLayerNorm.backward(grad, x, mean, invstd, weight, gradInput, gradWeight, gradBias);
    }

    @Override
    public void targetWeights(NDArray target, NDArray weight, long ignoreIndex, NDArray out) {
        CpuLosses.targetWeights(target, weight, ignoreIndex, out);
    }

    @Override
    public void nllLoss(NDArray input, NDArray target, NDArray weight, long ignoreIndex, NDArray loss) {
        CpuLosses.nllLoss(input, target, weight, ignoreIndex, loss);
    }

    @Override
    public void nllLossBackward(NDArray target, NDArray weight, long ignoreIndex, NDArray scale, NDArray gradInput) {
        CpuLosses.nllLossBackward(target, weight, ignoreIndex, scale, gradInput);
    }

    @Override
    public void crossEntropy(NDArray logits, NDArray target, NDArray weight, long ignoreIndex, double smoothing,
                             NDArray loss) {
        CpuLosses.crossEntropy(logits, target, weight, ignoreIndex, smoothing, loss);
    }

    @Override
    public void crossEntropyBackward(NDArray logits, NDArray target, NDArray weight, long ignoreIndex,
                                     double smoothing, NDArray scale, NDArray gradLogits) {
        CpuLosses.crossEntropyBackward(logits, target, weight, ignoreIndex, smoothing, scale, gradLogits);
    }

    @Override
    public void crossEntropyProbabilities(NDArray logits, NDArray target, NDArray weight, double smoothing,
                                          NDArray loss) {
        CpuLosses.crossEntropyProbabilities(logits, target, weight, smoothing, loss);
    }

    @Override
    public void crossEntropyProbabilitiesBackward(NDArray logits, NDArray target, NDArray weight, double smoothing,
                                                  NDArray scale, NDArray gradLogits) {
        CpuLosses.crossEntropyProbabilitiesBackward(logits, target, weight, smoothing, scale, gradLogits);
    }
}
