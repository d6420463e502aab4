package org.weft.tensor;

import java.util.Arrays;
import org.weft.tensor.backend.NormKernels;

/**
 * Window attention's softmax with its additive bias and mask fused in, on arrays: the checking
 * half of {@link NormKernels#biasedSoftmax} and its backward.
 *
 * <p>For logits {@code [W, H, N, M]} (W = batch x windows, H heads, N queries, M keys), a bias
 * {@code [1, H, N, M]} or {@code [H, N, M]} shared by all W, and an optional mask
 * {@code [nW, N, M]} with W a multiple of nW, the result is, in PyTorch,
 * {@code softmax((logits + bias).view(W / nW, nW, H, N, M) + mask.unsqueeze(1), -1).view(W, H, N, M)}:
 * torchvision's {@code shifted_window_attention}, where batch index b and window j make
 * {@code w = b nW + j}, and window j takes mask j.
 */
public final class BiasedSoftmax {

    private static final String OP = "softmax_with_bias";

    private BiasedSoftmax() {
    }

    /** The gradients of the logits and of the bias; null where not asked for. */
    public record Gradients(NDArray logits, NDArray bias) {
    }

    /** {@code softmax(logits + bias + mask, -1)} as the class comment defines it; {@code mask} may be null. */
    public static NDArray forward(NDArray logits, NDArray bias, NDArray mask) {
        Normalization.requireFloating(OP, "logits", logits);
        if (logits.dim() != 4) {
            throw new IllegalArgumentException(OP + ": expected logits of 4 dimensions [W, H, N, M], got "
                    + logits.shape());
        }
        int[] d = logits.dims();
        NDArray b = biasView(bias, d);
        Normalization.requireLike(OP, "bias", bias, logits);
        NDArray m = null;
        if (mask != null) {
            if (mask.dim() != 3 || mask.size(1) != d[2] || mask.size(2) != d[3] || mask.size(0) == 0
                    || d[0] % mask.size(0) != 0) {
                throw new IllegalArgumentException(OP + ": expected a mask [nW, " + d[2] + ", " + d[3]
                        + "] with nW dividing " + d[0] + " for logits " + logits.shape() + ", got " + mask.shape());
            }
            Normalization.requireLike(OP, "mask", mask, logits);
            m = mask;
        }
        NDArray out = NDArray.zeros(logits.dtype(), logits.device(), d);
        logits.backend().norm().biasedSoftmax(logits, b, m, out);
        return out;
    }

    /**
     * The gradients for upstream {@code grad} from the forward's output {@code y}: the logits'
     * {@code y * (grad - sum(grad * y, -1))} and the bias's, that summed over W, in
     * {@code biasShape} ({@code [1, H, N, M]} or {@code [H, N, M]}, the bias's own).
     */
    public static Gradients backward(NDArray y, NDArray grad, int[] biasShape, boolean wantLogits, boolean wantBias) {
        if (!grad.shape().equals(y.shape())) {
            throw new IllegalArgumentException(OP + ": gradient of shape " + grad.shape() + " for an output of shape "
                    + y.shape());
        }
        Normalization.requireLike(OP, "gradient", grad, y);
        int[] d = y.dims();
        NDArray gradLogits = wantLogits ? NDArray.zeros(y.dtype(), y.device(), d) : null;
        NDArray gradBias = wantBias ? NDArray.zeros(y.dtype(), y.device(), biasShape) : null;
        if (gradLogits != null || gradBias != null) {
            y.backend().norm().biasedSoftmaxBackward(y, grad, gradLogits,
                    gradBias == null ? null : biasView(gradBias, d));
        }
        return new Gradients(gradLogits, gradBias);
    }

    /** The bias as {@code [H, N, M]}, checked against logits of {@code dims}. */
    private static NDArray biasView(NDArray bias, int[] dims) {
        int[] want = {dims[1], dims[2], dims[3]};
        int[] got = bias.dims();
        if (got.length == 4 && got[0] == 1) {
            got = Arrays.copyOfRange(got, 1, 4);
        }
        if (!Arrays.equals(got, want)) {
            throw new IllegalArgumentException(OP + ": expected a bias [1, " + dims[1] + ", " + dims[2] + ", "
                    + dims[3] + "] or [" + dims[1] + ", " + dims[2] + ", " + dims[3] + "] for logits "
                    + Arrays.toString(dims) + ", got " + bias.shape());
        }
        return bias.dim() == 4 ? bias.select(0, 0) : bias;
    }
}
