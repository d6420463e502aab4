package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.Interpolation;
import org.weft.tensor.Shape;

/**
 * The gradient of {@link UpsampleBilinear2d}: a scatter-add of each output gradient with the
 * interpolation weights. Linear, with the interpolation itself as its adjoint and so as its
 * gradient.
 */
final class UpsampleBilinear2dBackward extends Function {

    private final Shape inputShape;
    private final boolean alignCorners;
    private final double scaleH;
    private final double scaleW;
    private int[] outSize;

    UpsampleBilinear2dBackward(Shape inputShape, boolean alignCorners, double scaleH, double scaleW) {
        this.inputShape = inputShape;
        this.alignCorners = alignCorners;
        this.scaleH = scaleH;
        this.scaleW = scaleW;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        outSize = new int[] {in[0].size(2), in[0].size(3)};
        return result(Interpolation.upsampleBilinear2dBackward(in[0].data(), inputShape, alignCorners, scaleH, scaleW));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        return grads(new UpsampleBilinear2d(outSize[0], outSize[1], alignCorners, scaleH, scaleW).apply(grad));
    }
}
