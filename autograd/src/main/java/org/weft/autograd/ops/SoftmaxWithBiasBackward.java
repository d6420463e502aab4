package org.weft.autograd.ops;

import java.util.ArrayList;
import java.util.List;
import org.weft.autograd.MultiOutputFunction;
import org.weft.autograd.Tensor;
import org.weft.tensor.BiasedSoftmax;

/**
 * The backward of {@link SoftmaxWithBias} as an op of its own (inputs: the forward's output
 * {@code y} and the upstream gradient {@code g}; outputs: the logits' gradient
 * {@code d = y (g - sum(g y))}, the bias's {@code sum_W d}, or only the one asked for), so that
 * second derivatives are exact: with {@code u} the gradient reaching d (that of the bias's
 * output broadcast over W added to it), {@code d(g) = y (u - sum(u y))} and
 * {@code d(y) = u (g - sum(g y)) - g sum(u y)}, sums along the last dimension, written with
 * tensor ops.
 */
public final class SoftmaxWithBiasBackward extends MultiOutputFunction {

    private final int[] biasShape;
    private final boolean wantLogits;
    private final boolean wantBias;

    public SoftmaxWithBiasBackward(int[] biasShape, boolean wantLogits, boolean wantBias) {
        this.biasShape = biasShape.clone();
        this.wantLogits = wantLogits;
        this.wantBias = wantBias;
    }

    @Override
    protected Tensor[] forward(Tensor... in) {
        BiasedSoftmax.Gradients r = BiasedSoftmax.backward(in[0].data(), in[1].data(), biasShape, wantLogits,
                wantBias);
        saveForBackward(in[0], in[1]);
        List<Tensor> out = new ArrayList<>(2);
        if (wantLogits) {
            out.add(result(r.logits()));
        }
        if (wantBias) {
            out.add(result(r.bias()));
        }
        return out.toArray(new Tensor[0]);
    }

    @Override
    protected Tensor[] backward(Tensor... grads) {
        Tensor y = saved(0);
        Tensor g = saved(1);
        Tensor u;
        if (wantLogits && wantBias) {
            u = grads[0].add(grads[1]);
        } else if (wantLogits) {
            u = grads[0];
        } else {
            u = grads[0].expand(y.dims());
        }
        Tensor uy = u.mul(y).sum(-1, true);
        Tensor dy = needsInputGrad(0) ? u.mul(g.sub(g.mul(y).sum(-1, true))).sub(g.mul(uy)) : null;
        Tensor dg = needsInputGrad(1) ? y.mul(u.sub(uy)) : null;
        return new Tensor[] {dy, dg};
    }
}
