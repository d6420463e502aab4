package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;

/**
 * {@code conv2d(x, weight[, bias])} on 4-d inputs. The gradients w.r.t. the input and the weight
 * are ops of their own ({@link Conv2dBackwardInput}, {@link Conv2dBackwardWeight}) whose
 * gradients are again convolutions, so derivatives of any order follow; the bias's gradient is
 * the output gradient summed over the batch and the pixels.
 */
public final class Conv2d extends Function {

    private final Conv2dArgs args;
    private boolean hasBias;

    /** Stride, padding and dilation take one value for both spatial dimensions or two (height, width). */
    public Conv2d(int[] stride, int[] padding, int[] dilation, int groups) {
        this(new Conv2dArgs(stride, padding, dilation, groups));
    }

    Conv2d(Conv2dArgs args) {
        this.args = args;
    }

    /** Inputs: {@code x [N, C, H, W]}, {@code weight [O, C/groups, kH, kW]} and optionally {@code bias [O]}. */
    @Override
    protected Tensor forward(Tensor... in) {
        hasBias = in.length > 2;
        saveForBackward(in[0], in[1]);
        return result(args.forward(in[0].data(), in[1].data(), hasBias ? in[2].data() : null));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        Tensor x = saved(0);
        Tensor weight = saved(1);
        Tensor gx = needsInputGrad(0) ? new Conv2dBackwardInput(x.shape(), args).apply(grad, weight) : null;
        Tensor gw = needsInputGrad(1) ? new Conv2dBackwardWeight(weight.shape(), args).apply(grad, x) : null;
        if (!hasBias) {
            return grads(gx, gw);
        }
        return grads(gx, gw, needsInputGrad(2) ? grad.sum(new int[] {0, 2, 3}, false) : null);
    }
}
