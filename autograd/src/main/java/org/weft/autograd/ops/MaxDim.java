package org.weft.autograd.ops;

import org.weft.autograd.MultiOutputFunction;
import org.weft.autograd.Tensor;
import org.weft.tensor.NDArray;
import org.weft.tensor.Shape;

/**
 * The largest (or smallest) values along one dimension and their positions. Only the value
 * at the returned position receives the gradient (the first occurrence on ties, as PyTorch's
 * {@code max(dim)}, unlike {@link Amax} which splits it); the indices are not differentiable.
 */
public final class MaxDim extends MultiOutputFunction {

    private final int dim;
    private final boolean keepdim;
    private final boolean largest;
    private Shape inputShape;
    private int[] keptShape;
    private NDArray indices;

    public MaxDim(int dim, boolean keepdim, boolean largest) {
        this.dim = dim;
        this.keepdim = keepdim;
        this.largest = largest;
    }

    @Override
    protected Tensor[] forward(Tensor... in) {
        NDArray x = in[0].data();
        NDArray[] r = largest ? x.max(dim, keepdim) : x.min(dim, keepdim);
        inputShape = in[0].shape();
        keptShape = new Reduced(inputShape, new int[] {dim}).kept;
        indices = r[1].reshape(keptShape);
        markNonDifferentiable(1);
        return new Tensor[] {result(r[0]), result(r[1])};
    }

    @Override
    protected Tensor[] backward(Tensor... grads) {
        int d = inputShape.rank() == 0 ? 0 : Shape.normalizeDim(dim, inputShape.rank());
        Tensor g = grads[0].reshape(keptShape);
        return new Tensor[] {ScatterAdd.intoZeros(inputShape, d, Tensor.of(indices), g)};
    }
}
