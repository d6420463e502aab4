package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.NDArray;
import org.weft.tensor.Shape;

/**
 * {@code beta * bias + alpha * (a @ b)} for matrices, the bias broadcast (inputs: bias, a, b).
 * Backward: {@code d bias = beta dC} summed to the bias's shape, {@code da = alpha dC b^T},
 * {@code db = alpha a^T dC}.
 */
public final class AddMm extends Function {

    private final double beta;
    private final double alpha;
    private Shape biasShape;

    public AddMm(double beta, double alpha) {
        this.beta = beta;
        this.alpha = alpha;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        biasShape = in[0].shape();
        saveForBackward(in[1], in[2]);
        return result(NDArray.addmm(in[0].data(), in[1].data(), in[2].data(), beta, alpha));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        Tensor a = saved(0);
        Tensor b = saved(1);
        Tensor scaled = alpha == 1 ? grad : grad.mul(alpha);
        return grads(
                needsInputGrad(0) ? (beta == 1 ? grad : grad.mul(beta)).sumToShape(biasShape) : null,
                needsInputGrad(1) ? scaled.matmul(b.t()) : null,
                needsInputGrad(2) ? a.t().matmul(scaled) : null);
    }
}
