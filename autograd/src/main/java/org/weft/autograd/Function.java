package org.weft.autograd;

/**
 * A differentiable op with one output: a forward on the inputs and a backward that maps the
 * output's gradient to the inputs' gradients. Every op of Weft is one, and users write their
 * own the same way:
 *
 * <pre>{@code
 * final class Cube extends Function {
 *     protected Tensor forward(Tensor... in) {
 *         saveForBackward(in[0]);
 *         return result(in[0].data().pow(3));
 *     }
 *     protected Tensor[] backward(Tensor grad) {
 *         Tensor x = saved(0);
 *         return grads(grad.mul(x.mul(x)).mul(3));
 *     }
 * }
 * Tensor y = new Cube().apply(x);
 * }</pre>
 *
 * <p>The forward runs with grad mode off, on the inputs' data. The backward is written with
 * tensor ops, so when it runs with {@code createGraph} its own graph is recorded and
 * gradients of gradients follow. Each call of an op uses a new instance, which is also the
 * op's node in the graph; fields of the instance carry non-tensor arguments to backward.
 */
public abstract class Function extends OpNode {

    /** Computes the output; runs with grad mode off. */
    protected abstract Tensor forward(Tensor... inputs);

    /**
     * The gradient of each input, in order, given the output's gradient; null for an input
     * that needs none ({@link #needsInputGrad}) or is not differentiable.
     */
    protected abstract Tensor[] backward(Tensor gradOutput);

    /** Runs the op, recording it in the graph if grad mode is on and any input requires grad. */
    public final Tensor apply(Tensor... inputs) {
        return record(inputs)[0];
    }

    /** Packs gradients for a return statement. */
    protected static Tensor[] grads(Tensor... grads) {
        return grads;
    }

    @Override
    final Tensor[] runForward(Tensor[] inputs) {
        Tensor out = forward(inputs);
        if (out == null) {
            throw new IllegalStateException(getClass().getSimpleName() + ".forward returned null");
        }
        return new Tensor[] {out};
    }

    @Override
    final Tensor[] runBackward(Tensor[] gradOutputs) {
        return backward(gradOutputs[0]);
    }
}
