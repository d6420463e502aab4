package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.NDArray;

/**
 * {@code D[i, j] = |x_i - y_j|^2} between the rows of x {@code [*, n, d]} and y {@code [*, m, d]}
 * ({@code torch.cdist(x, y) ** 2}). Backward:
 * {@code dx_i = 2 sum_j dD_ij (x_i - y_j) = 2 (x_i sum_j dD_ij - (dD y)_i)} and symmetrically
 * for y, written as matmuls so second derivatives follow.
 *
 * <p>That matmul form cancels when the points lie far from the origin compared with their
 * spread; distances do not change when both sets move together, so backward first moves them
 * to their common mean (a constant, computed in forward), which leaves the exact gradient
 * unchanged and removes the cancellation.
 */
public final class PairwiseSquaredDistances extends Function {

    private NDArray centre;

    @Override
    protected Tensor forward(Tensor... in) {
        NDArray x = in[0].data();
        NDArray y = in[1].data();
        saveForBackward(in[0], in[1]);
        int points = Math.max(1, x.size(-2) + y.size(-2));
        centre = x.sum(new int[] {-2}, true).add(y.sum(new int[] {-2}, true)).div((double) points);
        return result(x.pairwiseSquaredDistances(y));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        Tensor c = Tensor.of(centre);
        Tensor x = saved(0).sub(c);
        Tensor y = saved(1).sub(c);
        Tensor gx = null;
        Tensor gy = null;
        if (needsInputGrad(0)) {
            gx = x.mul(grad.sum(-1, true)).sub(grad.matmul(y)).mul(2.0).sumToShape(saved(0).shape());
        }
        if (needsInputGrad(1)) {
            Tensor columnSums = grad.sum(-2, true).transpose(-1, -2);
            gy = y.mul(columnSums).sub(grad.transpose(-1, -2).matmul(x)).mul(2.0).sumToShape(saved(1).shape());
        }
        return grads(gx, gy);
    }
}
