package org.weft.tensor.backend;

import org.weft.tensor.NDArray;

/**
 * Normalisation, softmax and the fused losses.
 *
 * <p>The checking half ({@link org.weft.tensor.Normalization}, {@link org.weft.tensor.Losses})
 * hands every kernel its operands in a fixed low rank, views of the caller's arrays where the
 * strides allow: softmax sees {@code [outer, n, inner]} and normalises along dimension 1;
 * batch norm sees {@code [N, C, S]} (S the product of the spatial sizes); layer norm sees
 * {@code [M, K]} rows; the losses see logits {@code [N, C, S]} and per-position arrays
 * {@code [N, S]}. Operands may have any strides (stride 0 included); outputs are allocated by
 * the caller. Floating-point operands share one dtype, F32 or F64, and statistics accumulate
 * in double.
 */
public interface NormKernels {

    /** Softmax of {@code x [outer, n, inner]} along dimension 1, or its logarithm when {@code log}. */
    void softmax(NDArray x, boolean log, NDArray out);

    /**
     * Window attention's softmax over the last dimension of
     * {@code (logits[w, h, i] + bias[h, i]) + mask[w % nW, i]}, added in that order, for
     * {@code logits [W, H, N, M]}, {@code bias [H, N, M]} and {@code mask [nW, N, M]} (null: no
     * mask), into {@code out [W, H, N, M]}.
     */
    void biasedSoftmax(NDArray logits, NDArray bias, NDArray mask, NDArray out);

    /**
     * The gradients of {@link #biasedSoftmax} from its output {@code y [W, H, N, M]} and upstream
     * {@code grad [W, H, N, M]}: {@code gradLogits = y * (grad - sum(grad * y))} along the last
     * dimension, and {@code gradBias [H, N, M]} its sum over W; either may be null when not wanted.
     */
    void biasedSoftmaxBackward(NDArray y, NDArray grad, NDArray gradLogits, NDArray gradBias);

    /** Per channel c of {@code x [N, C, S]}: the mean and the biased variance over N and S, into {@code [C]}. */
    void channelMoments(NDArray x, NDArray mean, NDArray var);

    /**
     * {@code out = (x - mean[c]) * invstd[c] * weight[c] + bias[c]} for {@code x [N, C, S]};
     * {@code weight} and {@code bias} may be null (one and zero).
     */
    void batchNormApply(NDArray x, NDArray mean, NDArray invstd, NDArray weight, NDArray bias, NDArray out);

    /**
     * The gradients of {@link #batchNormApply} for upstream {@code grad [N, C, S]}. With
     * {@code training} the mean and invstd are the batch's own statistics and the input's
     * gradient includes the paths through them; otherwise they are constants. Any of
     * {@code gradInput [N, C, S]}, {@code gradWeight [C]}, {@code gradBias [C]} may be null
     * when not wanted; {@code weight} may be null (one).
     */
    void batchNormBackward(NDArray grad, NDArray x, NDArray mean, NDArray invstd, NDArray weight, boolean training,
                           NDArray gradInput, NDArray gradWeight, NDArray gradBias);

    /**
     * Layer norm of the rows of {@code x [M, K]}: each row's mean and {@code 1/sqrt(var + eps)}
     * (biased variance) into {@code mean [M]} and {@code invstd [M]}, and
     * {@code out = (x - mean) * invstd * weight + bias} with {@code weight, bias [K]} (null: one, zero).
     */
    void layerNorm(NDArray x, NDArray weight, NDArray bias, double eps, NDArray out, NDArray mean, NDArray invstd);

    /**
     * The gradients of {@link #layerNorm} for upstream {@code grad [M, K]}, given the forward's
     * statistics; outputs {@code gradInput [M, K]}, {@code gradWeight [K]}, {@code gradBias [K]}
     * may each be null when not wanted.
     */
    void layerNormBackward(NDArray grad, NDArray x, NDArray mean, NDArray invstd, NDArray weight,
                           NDArray gradInput, NDArray gradWeight, NDArray gradBias);

    /**
     * {@code out[n, s] = weight[t]} for the class index {@code t = target[n, s]}, or zero where
     * {@code t == ignoreIndex}: each position's share of a weighted mean ({@code weight} null: one).
     */
    void targetWeights(NDArray target, NDArray weight, long ignoreIndex, NDArray out);

    /**
     * The negative log-likelihood at each position: {@code loss[n, s] = -weight[t] * input[n, t, s]}
     * for {@code t = target[n, s]}, zero where {@code t == ignoreIndex}.
     */
    void nllLoss(NDArray input, NDArray target, NDArray weight, long ignoreIndex, NDArray loss);

    /**
     * The gradient of {@link #nllLoss} for per-position upstream {@code scale [N, S]}:
     * {@code gradInput[n, t, s] = -weight[t] * scale[n, s]}, every other element zero.
     */
    void nllLossBackward(NDArray target, NDArray weight, long ignoreIndex, NDArray scale, NDArray gradInput);

    /**
     * Cross-entropy with class-index targets, fused with the log-softmax over C, at each
     * position of {@code logits [N, C, S]}:
     * {@code loss = -sum_c coef_c * log_softmax(x)_c} with
     * {@code coef_c = (1 - smoothing) * weight[t] * [c == t] + smoothing / C * weight[c]},
     * zero where {@code t == ignoreIndex}.
     */
    void crossEntropy(NDArray logits, NDArray target, NDArray weight, long ignoreIndex, double smoothing,
                      NDArray loss);

    /**
     * The gradient of {@link #crossEntropy} for per-position upstream {@code scale [N, S]}:
     * {@code gradLogits_c = scale * (softmax(x)_c * sum_k coef_k - coef_c)}, zero at ignored positions.
     */
    void crossEntropyBackward(NDArray logits, NDArray target, NDArray weight, long ignoreIndex, double smoothing,
                              NDArray scale, NDArray gradLogits);

    /**
     * Cross-entropy with class-probability targets {@code target [N, C, S]}:
     * {@code loss[n, s] = -sum_c coef_c * log_softmax(x)_c} with
     * {@code coef_c = weight[c] * ((1 - smoothing) * target_c + smoothing / C)}.
     */
    void crossEntropyProbabilities(NDArray logits, NDArray target, NDArray weight, double smoothing, NDArray loss);

    /** The logits' gradient of {@link #crossEntropyProbabilities}, as {@link #crossEntropyBackward}. */
    void crossEntropyProbabilitiesBackward(NDArray logits, NDArray target, NDArray weight, double smoothing,
                                           NDArray scale, NDArray gradLogits);
}
