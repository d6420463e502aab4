package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.NDArray;

/**
 * The matrix product {@code C = A B} (matmul, mm or bmm; they differ only in the shapes they
 * accept). Backward: {@code dA = dC B^T} and {@code dB = A^T dC}, each summed back over the
 * batch dimensions its input was broadcast along; both are matmuls, so second derivatives
 * follow.
 */
public final class MatMul extends Function {

    /** Which rules check the shapes: matmul's (vectors, broadcast batches), mm's (2-D) or bmm's (3-D). */
    public enum Variant { MATMUL, MM, BMM }

    private final Variant variant;

    public MatMul(Variant variant) {
        this.variant = variant;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        saveForBackward(in[0], in[1]);
        NDArray a = in[0].data();
        NDArray b = in[1].data();
        return result(switch (variant) {
            case MATMUL -> a.matmul(b);
            case MM -> a.mm(b);
            case BMM -> a.bmm(b);
        });
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        Tensor a = saved(0);
        Tensor b = saved(1);
        // Work with matrices: vectors become the row / column they acted as in forward, and the
        // gradient gets back the dimensions forward removed.
        Tensor a2 = a.dim() == 1 ? a.unsqueeze(0) : a;
        Tensor b2 = b.dim() == 1 ? b.unsqueeze(1) : b;
        Tensor g = b.dim() == 1 ? grad.unsqueeze(-1) : grad;
        g = a.dim() == 1 ? g.unsqueeze(-2) : g;
        Tensor ga = null;
        Tensor gb = null;
        if (needsInputGrad(0)) {
            ga = like(a, g.matmul(b2.transpose(-1, -2)).sumToShape(a2.shape()));
        }
        if (needsInputGrad(1)) {
            if (b2.dim() == 2 && a2.dim() > 2) {
                // A shared matrix B saw every row of every batch of A: sum_t A_t^T dC_t is one
                // product of the batches stacked as rows, with no [batch, k, n] temporary.
                int rows = 1;
                for (int d = 0; d < a2.dim() - 1; d++) {
                    rows *= a2.size(d);
                }
                gb = like(b, a2.reshape(rows, a2.size(-1)).t().matmul(g.reshape(rows, g.size(-1))));
            } else {
                gb = like(b, a2.transpose(-1, -2).matmul(g).sumToShape(b2.shape()));
            }
        }
        return grads(ga, gb);
    }

    /** {@code g} in the shape of {@code input} (a vector's gradient loses the dimension it gained). */
    private static Tensor like(Tensor input, Tensor g) {
        return input.dim() == 1 ? g.reshape(input.dims()) : g;
    }
}
