package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.BiasedSoftmax;
import org.weft.tensor.NDArray;

/**
 * Window attention's {@code softmax(logits + bias + mask, -1)} in one op (inputs: logits
 * {@code [W, H, N, M]} and the bias shared by all W; the mask, a constant, is a field; see
 * {@link BiasedSoftmax} for the shapes). With {@code y} the output, the logits' gradient is
 * softmax's {@code y * (g - sum(g * y))} and the bias's is that summed over W: one fused
 * kernel, run by {@link SoftmaxWithBiasBackward} so that it differentiates again.
 */
public final class SoftmaxWithBias extends Function {

    private final NDArray mask;
    private int[] biasShape;

    /** {@code mask}: the {@code [nW, N, M]} mask, or null for none. */
    public SoftmaxWithBias(NDArray mask) {
        this.mask = mask;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        biasShape = in[1].dims();
        Tensor y = result(BiasedSoftmax.forward(in[0].data(), in[1].data(), mask));
        saveForBackward(y);
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        boolean logits = needsInputGrad(0);
        boolean bias = needsInputGrad(1);
        Tensor[] g = new SoftmaxWithBiasBackward(biasShape, logits, bias).apply(saved(0), grad);
        return grads(logits ? g[0] : null, bias ? g[logits ? 1 : 0] : null);
    }
}
