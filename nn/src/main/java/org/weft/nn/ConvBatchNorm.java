package org.weft.nn;

import org.weft.autograd.Functional;
import org.weft.autograd.Grad;
import org.weft.autograd.Tensor;

/**
 * A convolution, the batch norm after it and optionally a ReLU, the unit ResNet and GoogLeNet
 * are built of, run either as the modules one after another or, when nothing could tell the
 * difference, as one fused kernel ({@link Functional#conv2dBatchNormEval}).
 *
 * <p>Nothing can tell the difference when the batch norm normalises with its running statistics
 * (eval mode, statistics tracked), no gradient is being recorded for the input or the
 * parameters, and no module of the three has a hook that would see the intermediate results.
 * Then the fused kernel gives the same numbers, to rounding, and saves two passes over the
 * output and the two arrays they would allocate. In every other case, training above all, the
 * modules run as they are, each through {@link Module#call}.
 */
public final class ConvBatchNorm {

    private ConvBatchNorm() {
    }

    /** {@code bn(conv(x))}. */
    public static Tensor convBn(Conv2d conv, BatchNorm bn, Tensor x) {
        if (!fusable(conv, bn, null, x)) {
            return bn.call(conv.call(x));
        }
        return fused(conv, bn, false, x);
    }

    /** {@code relu(bn(conv(x)))}, through the {@code relu} module, or {@link Tensor#relu()} when it is null. */
    public static Tensor convBnRelu(Conv2d conv, BatchNorm bn, ReLU relu, Tensor x) {
        if (!fusable(conv, bn, relu, x)) {
            Tensor y = bn.call(conv.call(x));
            return relu == null ? y.relu() : relu.call(y);
        }
        return fused(conv, bn, true, x);
    }

    private static Tensor fused(Conv2d conv, BatchNorm bn, boolean relu, Tensor x) {
        return Functional.conv2dBatchNormEval(x, conv.weight(), conv.bias(), bn.runningMean(), bn.runningVar(),
                bn.weight(), bn.bias(), bn.eps, relu, conv.stride, conv.padding, conv.dilation, conv.groups);
    }

    static boolean fusable(Conv2d conv, BatchNorm bn, ReLU relu, Tensor x) {
        if (bn.isTraining() || !bn.trackRunningStats || x.dim() != 4 || x.size(1) != conv.inChannels
                || conv.outChannels != bn.numFeatures) {
            return false;
        }
        if (conv.hasHooks() || bn.hasHooks() || (relu != null && relu.hasHooks())) {
            return false;
        }
        return !Grad.isEnabled() || !(x.requiresGrad() || conv.weight().requiresGrad()
                || (conv.bias() != null && conv.bias().requiresGrad())
                || (bn.weight() != null && bn.weight().requiresGrad())
                || (bn.bias() != null && bn.bias().requiresGrad()));
    }
}
