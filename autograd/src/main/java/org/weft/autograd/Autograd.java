package org.weft.autograd;

/** Gradients as values: {@code Autograd.grad}, PyTorch's {@code torch.autograd.grad}. */
public final class Autograd {

    private Autograd() {
    }

    /**
     * The gradients of {@code outputs} with respect to {@code inputs}, weighted by
     * {@code gradOutputs} (null for one-element outputs means ones). Nothing is accumulated
     * into any {@code grad}. With {@code createGraph} the result is itself differentiable,
     * which is how gradients of gradients are taken; the graph is then retained.
     */
    public static Tensor[] grad(Tensor[] outputs, Tensor[] inputs, Tensor[] gradOutputs, boolean createGraph) {
        return grad(outputs, inputs, gradOutputs, createGraph, createGraph, false);
    }

    /**
     * As {@link #grad(Tensor[], Tensor[], Tensor[], boolean)}, with {@code retainGraph} and
     * {@code allowUnused} (an input the outputs do not depend on gets null instead of an error).
     */
    public static Tensor[] grad(Tensor[] outputs, Tensor[] inputs, Tensor[] gradOutputs, boolean createGraph,
                                boolean retainGraph, boolean allowUnused) {
        if (gradOutputs != null && gradOutputs.length != outputs.length) {
            throw new IllegalArgumentException("Autograd.grad: gradOutputs has " + gradOutputs.length
                    + " entries but there are " + outputs.length + " outputs; give one per output (null for ones)");
        }
        Tensor[] seeds = new Tensor[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            Tensor g = gradOutputs == null ? null : gradOutputs[i];
            if (g == null) {
                if (outputs[i].numel() != 1) {
                    throw new IllegalArgumentException("grad can be implicitly created only for scalar outputs;"
                            + " output " + i + " has shape " + outputs[i].shape());
                }
                g = outputs[i].onesLike();
            }
            seeds[i] = g;
        }
        return Engine.run(outputs, seeds, retainGraph, createGraph, inputs, allowUnused);
    }

    /** The gradient of a one-element output with respect to one input. */
    public static Tensor grad(Tensor output, Tensor input) {
        return grad(new Tensor[] {output}, new Tensor[] {input}, null, false)[0];
    }
}
