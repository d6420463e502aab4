package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.Shape;

/**
 * {@code y = x W^T + b}, {@code torch.nn.functional.linear} (inputs: x {@code [*, in]}, W
 * {@code [out, in]}, optionally b {@code [out]}). Backward: {@code dx = dy W},
 * {@code dW = dy^T x} and {@code db = sum dy} over every leading dimension of x, the leading
 * dimensions stacked as rows so each is one matrix product.
 */
public final class Linear extends Function {

    private Shape biasShape;

    @Override
    protected Tensor forward(Tensor... in) {
        saveForBackward(in[0], in[1]);
        biasShape = in.length > 2 ? in[2].shape() : null;
        return result(in[0].data().linear(in[1].data(), in.length > 2 ? in[2].data() : null));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        Tensor x = saved(0);
        Tensor w = saved(1);
        int rows = 1;
        for (int d = 0; d < x.dim() - 1; d++) {
            rows *= x.size(d);
        }
        Tensor g2 = grad.reshape(rows, w.size(0));
        Tensor gx = needsInputGrad(0) ? grad.matmul(w) : null;
        Tensor gw = needsInputGrad(1) ? g2.t().matmul(x.reshape(rows, x.size(-1))) : null;
        Tensor gb = needsInputGrad(2) ? g2.sum(0, false).sumToShape(biasShape) : null;
        return biasShape == null ? grads(gx, gw) : grads(gx, gw, gb);
    }
}
