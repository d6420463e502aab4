package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;
import org.weft.tensor.random.Generator;

/**
 * Inverted dropout while training: each element is kept with probability {@code 1 - p} and
 * scaled by {@code 1 / (1 - p)}, so the expected output is the input and evaluation needs no
 * rescaling. The output is {@code x * noise} with {@code noise} holding 0 or {@code 1/(1-p)}
 * (PyTorch's formula, so inf or NaN inputs that are dropped give NaN exactly as there), and
 * the gradient is {@code grad * noise} with the same noise.
 *
 * <p>p = 1 drops everything without drawing numbers ({@code x * 0}). Identity cases (p = 0,
 * evaluation) and the check of p belong to {@code Functional.dropout}.
 */
public final class Dropout extends Function {

    private final double p;
    private final Generator generator;
    private Tensor noise;

    /** {@code generator} may be null for the global one. */
    public Dropout(double p, Generator generator) {
        this.p = p;
        this.generator = generator;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        NDArray x = in[0].data();
        NDArray n;
        if (p == 1) {
            n = x.zerosLike();
        } else {
            DType dtype = x.dtype();
            n = NDArray.bernoulli(1 - p, dtype, generator, x.dims()).div(1 - p);
        }
        noise = Tensor.of(n);
        return result(x.mul(n));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        return grads(needsInputGrad(0) ? grad.mul(noise) : null);
    }
}
