package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.NDArray;
import org.weft.tensor.Shape;

/**
 * A copy of x with {@code src[i][j]} added at {@code [i][index[i][j]]} (for dim 1). The
 * gradient passes unchanged to x; src's element {@code [i][j]} reaches output
 * {@code [i][index[i][j]]}, so its gradient is the output's gathered with the same index,
 * and zero where src is larger than the index (those elements are never added).
 */
public final class ScatterAdd extends Function {

    private final int dim;
    private Shape srcShape;

    public ScatterAdd(int dim) {
        this.dim = dim;
    }

    /**
     * Zeros of {@code shape} with {@code src} added at {@code index} along {@code dim}: the
     * gradient of every op that picks elements by index (gather, max along a dim, sort, top-k).
     */
    static Tensor intoZeros(Shape shape, int dim, Tensor index, Tensor src) {
        Tensor zeros = Tensor.of(NDArray.zeros(src.dtype(), src.device(), shape.dims()));
        return new ScatterAdd(dim).apply(zeros, index, src);
    }

    /** Inputs: the tensor, the I64 index, the source. */
    @Override
    protected Tensor forward(Tensor... in) {
        srcShape = in[2].shape();
        saveForBackward(in[1]);
        return result(in[0].data().scatterAdd(dim, in[1].data(), in[2].data()));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        Tensor gSrc = null;
        if (needsInputGrad(2)) {
            Tensor index = saved(0);
            gSrc = grad.gather(dim, index);
            if (!index.shape().equals(srcShape)) {
                // Pad the index-shaped gradient with zeros up to src's shape, last dimension first.
                int rank = srcShape.rank();
                int[] pad = new int[2 * rank];
                for (int k = 0; k < rank; k++) {
                    pad[2 * k + 1] = srcShape.size(rank - 1 - k) - index.size(rank - 1 - k);
                }
                gSrc = gSrc.pad(pad);
            }
        }
        return grads(needsInputGrad(0) ? grad : null, null, gSrc);
    }
}
