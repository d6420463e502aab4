package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.Shape;

/**
 * {@code log(sum(exp(x)))} over dimensions. Its gradient is the softmax of x over those
 * dimensions, {@code exp(x - logsumexp(x))}, made by {@link Weights} from x and this op's
 * output, so both take part in higher derivatives.
 */
public final class LogSumExp extends Function {

    private final int[] dims;
    private final boolean keepdim;
    private Reduced shapes;

    /** {@code dims} null or empty reduces every dimension. */
    public LogSumExp(int[] dims, boolean keepdim) {
        this.dims = dims == null ? null : dims.clone();
        this.keepdim = keepdim;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor out = result(in[0].data().logsumexp(dims, keepdim));
        shapes = new Reduced(in[0].shape(), dims);
        saveForBackward(in[0], out);
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        Tensor weights = new Weights().apply(saved(0), shapes.keep(saved(1)));
        return grads(shapes.keep(grad).mul(weights));
    }

    /**
     * {@code exp(x - lse)} with lse broadcast over the reduced dimensions. Its derivative is
     * itself: {@code w} with respect to x, and minus the sum of {@code w} with respect to lse.
     */
    static final class Weights extends Function {
        private Shape lseShape;

        @Override
        protected Tensor forward(Tensor... in) {
            lseShape = in[1].shape();
            Tensor w = result(in[0].data().sub(in[1].data()).exp());
            saveForBackward(w);
            return w;
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            Tensor gw = grad.mul(saved(0));
            return grads(gw, needsInputGrad(1) ? gw.sumToShape(lseShape).neg() : null);
        }
    }
}
