package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.Interpolation;
import org.weft.tensor.Shape;

/**
 * Bilinear resize of a 4-d input to {@code (outH, outW)}, PyTorch's {@code upsample_bilinear2d};
 * its gradient adds each output gradient to the four source pixels with the same weights
 * ({@link UpsampleBilinear2dBackward}).
 */
public final class UpsampleBilinear2d extends Function {

    private final int outH;
    private final int outW;
    private final boolean alignCorners;
    private final double scaleH;
    private final double scaleW;
    private Shape inputShape;

    /** {@code scaleH}/{@code scaleW}: the user's scale factors, or 0 when the size was given. */
    public UpsampleBilinear2d(int outH, int outW, boolean alignCorners, double scaleH, double scaleW) {
        this.outH = outH;
        this.outW = outW;
        this.alignCorners = alignCorners;
        this.scaleH = scaleH;
        this.scaleW = scaleW;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        inputShape = in[0].shape();
        return result(Interpolation.upsampleBilinear2d(in[0].data(), outH, outW, alignCorners, scaleH, scaleW));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        return grads(new UpsampleBilinear2dBackward(inputShape, alignCorners, scaleH, scaleW).apply(grad));
    }
}
