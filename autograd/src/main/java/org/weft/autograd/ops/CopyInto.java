package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.DType;
import org.weft.tensor.Shape;

/**
 * {@code dst.copy_(src)} as an op of {@code (dst, src)}: the source broadcast to dst's shape
 * and converted to its dtype. The gradient goes to the source (summed back over the broadcast,
 * converted back); the overwritten values get zero.
 */
public final class CopyInto extends Function {

    private Shape srcShape;
    private DType srcType;

    @Override
    protected Tensor forward(Tensor... in) {
        srcShape = in[1].shape();
        srcType = in[1].dtype();
        return result(in[1].data().broadcastTo(in[0].shape()).to(in[0].dtype()).copy());
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        Tensor g = needsInputGrad(1) ? grad.sumToShape(srcShape).to(srcType) : null;
        return grads(needsInputGrad(0) ? grad.zerosLike() : null, g);
    }
}
