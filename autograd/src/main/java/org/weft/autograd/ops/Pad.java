package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;

/**
 * Constant padding, PyTorch's pad list (last dimension first, negative amounts crop). The
 * gradient is the padding undone, which is the same op with every amount negated: padding
 * becomes cropping, and what was cropped comes back as zeros.
 */
public final class Pad extends Function {

    private final int[] pad;
    private final double value;

    public Pad(int[] pad, double value) {
        this.pad = pad.clone();
        this.value = value;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        return result(in[0].data().pad(pad, value));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        int[] undo = new int[pad.length];
        for (int i = 0; i < pad.length; i++) {
            undo[i] = -pad[i];
        }
        return grads(new Pad(undo, 0).apply(grad));
    }
}
