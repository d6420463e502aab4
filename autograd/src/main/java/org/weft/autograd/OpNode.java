package org.weft.autograd;

import java.util.BitSet;
import org.weft.tensor.DType;
import org.weft.tensor.Device;
import org.weft.tensor.NDArray;
import org.weft.tensor.Shape;

/**
 * What {@link Function} and {@link MultiOutputFunction} share: running the forward without
 * recording, wiring the outputs into the graph, and the tensors saved for backward with the
 * versions they had when saved.
 */
abstract class OpNode extends Node {

    private static final String FREED = "Trying to backward through the graph a second time (or directly access"
            + " saved tensors after they have already been freed). Saved intermediate values of the graph are"
            + " freed when you call backward() or Autograd.grad(). Specify retainGraph=true if you need to"
            + " backward through the graph a second time or to access saved tensors after calling backward.";

    private boolean[] needsInputGrad = new boolean[0];
    private Tensor[] saved;
    private int[] savedVersions;
    private boolean released;
    private final BitSet nonDifferentiable = new BitSet();
    private Shape[] outputShapes;
    private DType[] outputDtypes;
    private Device[] outputDevices;
    private boolean isView;

    // ------------------------------------------------------------ for op authors

    /**
     * Keeps tensors (inputs or outputs) for backward. Saving records each tensor's version;
     * if it is modified in place before backward uses it, {@link #saved} fails with a clear
     * message instead of using the new values.
     */
    protected final void saveForBackward(Tensor... tensors) {
        saved = tensors.clone();
        savedVersions = new int[tensors.length];
        for (int i = 0; i < tensors.length; i++) {
            savedVersions[i] = tensors[i] == null ? 0 : tensors[i].data().storage().version();
        }
    }

    /** Saved tensor {@code i}, checked to be unchanged since it was saved. */
    protected final Tensor saved(int i) {
        if (released) {
            throw new IllegalStateException(FREED);
        }
        int count = saved == null ? 0 : saved.length;
        if (i < 0 || i >= count) {
            throw new IllegalStateException(name() + " reads saved tensor " + i + " but its forward saved " + count
                    + " tensor" + (count == 1 ? "" : "s") + " with saveForBackward");
        }
        Tensor t = saved[i];
        if (t != null && t.data().storage().version() != savedVersions[i]) {
            throw new IllegalStateException("one of the variables needed for gradient computation has been modified"
                    + " by an inplace operation: [" + t.dtype() + " " + t.shape() + "], which is output "
                    + i + " of the tensors saved by " + name() + ", is at version " + t.data().storage().version()
                    + "; expected version " + savedVersions[i] + " instead.");
        }
        return t;
    }

    /** Whether input {@code i} needs a gradient; backward may return null for those that do not. */
    protected final boolean needsInputGrad(int i) {
        return i < needsInputGrad.length && needsInputGrad[i];
    }

    /** Declares output {@code i} not differentiable (indices, masks): it gets no grad_fn. */
    protected final void markNonDifferentiable(int output) {
        nonDifferentiable.set(output);
    }

    /** Declares the outputs views of input 0, so in-place writes to them are refused while recording. */
    protected final void markView() {
        isView = true;
    }

    /** Wraps a computed array as a plain tensor: the usual result of a forward. */
    protected static Tensor result(NDArray data) {
        return new Tensor(data, false);
    }

    // ------------------------------------------------------------ the mechanics

    final Tensor[] record(Tensor[] inputs) {
        for (Tensor t : inputs) {
            if (t == null) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": an input is null");
            }
        }
        boolean recording = Grad.isEnabled() && anyRequiresGrad(inputs);
        needsInputGrad = new boolean[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            needsInputGrad[i] = recording && inputs[i].requiresGrad();
        }
        Tensor[] outputs;
        try (var g = Grad.disabled()) {
            outputs = runForward(inputs);
        }
        for (int i = 0; i < outputs.length; i++) {
            for (Tensor in : inputs) {
                if (outputs[i] == in) {
                    // An op returned its input; the output must be a tensor of its own in the graph.
                    outputs[i] = new Tensor(in.data(), false);
                }
            }
        }
        if (!recording) {
            saved = null;
            if (isView) {
                for (Tensor out : outputs) {
                    out.rememberViewBase(inputs[0]); // so a later recorded write into it is refused
                }
            }
            return outputs;
        }
        next = new Edge[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            next[i] = inputs[i].gradientEdge();
        }
        outputShapes = new Shape[outputs.length];
        outputDtypes = new DType[outputs.length];
        outputDevices = new Device[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            Tensor out = outputs[i];
            outputShapes[i] = out.shape();
            outputDtypes[i] = out.dtype();
            outputDevices[i] = out.device();
            boolean differentiable = !nonDifferentiable.get(i)
                    && out.dtype().isFloatingPoint();
            if (differentiable) {
                out.attach(this, i, isView ? inputs[0] : null);
            }
        }
        if (Anomaly.isEnabled()) {
            forwardSite = new Anomaly.ForwardCallSite(getClass().getSimpleName());
        }
        return outputs;
    }

    private static boolean anyRequiresGrad(Tensor[] inputs) {
        for (Tensor t : inputs) {
            if (t.requiresGrad()) {
                return true;
            }
        }
        return false;
    }

    abstract Tensor[] runForward(Tensor[] inputs);

    abstract Tensor[] runBackward(Tensor[] gradOutputs);

    @Override
    final int outputCount() {
        return outputShapes.length;
    }

    @Override
    final Shape outputShape(int i) {
        return outputShapes[i];
    }

    @Override
    final DType outputDtype(int i) {
        return outputDtypes[i];
    }

    @Override
    final Tensor zeroGradient(int i) {
        return new Tensor(NDArray.zeros(outputDtypes[i], outputDevices[i], outputShapes[i].dims()), false);
    }

    @Override
    final Tensor[] applyBackward(Tensor[] gradOutputs) {
        Tensor[] grads = runBackward(gradOutputs);
        if (grads == null || grads.length != next.length) {
            throw new IllegalStateException("function " + name() + " returned " + (grads == null ? 0 : grads.length)
                    + " gradients but expected " + next.length);
        }
        return grads;
    }

    @Override
    final void releaseSaved() {
        if (saved != null) {
            saved = null;
            released = true;
        }
    }
}
