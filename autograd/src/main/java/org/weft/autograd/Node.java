package org.weft.autograd;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.weft.tensor.DType;
import org.weft.tensor.Shape;

/**
 * A vertex of the backward graph: takes the gradients of the outputs of one recorded op and
 * returns the gradients of its inputs, which travel along {@link #next} edges.
 */
public abstract class Node {

    Edge[] next = new Edge[0];
    /** Hooks on gradients arriving at each output, from {@link Tensor#registerHook} on non-leaf tensors. */
    private Map<Integer, List<UnaryOperator<Tensor>>> outputHooks;
    /** Tensors whose gradient is kept ({@link Tensor#retainGrad}), by output number. */
    private Map<Integer, Tensor> retained;
    Throwable forwardSite;

    /** The op's name, as in error messages and graph dumps ("MulBackward"). */
    public String name() {
        String simple = getClass().getSimpleName();
        // An anonymous Function has no simple name; its binary name (Outer$1) still says where it is.
        String op = simple.isEmpty() ? getClass().getName().substring(getClass().getName().lastIndexOf('.') + 1) : simple;
        return op + "Backward";
    }

    /** The nodes the input gradients go to, in input order (null where no gradient flows). */
    public List<Node> nextFunctions() {
        List<Node> out = new ArrayList<>();
        for (Edge e : next) {
            out.add(e == null ? null : e.node());
        }
        return out;
    }

    /** Number of outputs of the op this node differentiates. */
    abstract int outputCount();

    /** The shape of output {@code i}, which its gradient must have. */
    abstract Shape outputShape(int i);

    abstract DType outputDtype(int i);

    /** The input gradients, given one gradient per output (never null). */
    abstract Tensor[] applyBackward(Tensor[] gradOutputs);

    /** A zero gradient for output {@code i}, for outputs that received none. */
    abstract Tensor zeroGradient(int i);

    /** Frees what was saved for backward, after a backward that does not retain the graph. */
    void releaseSaved() {
    }

    final void addOutputHook(int output, UnaryOperator<Tensor> hook) {
        if (outputHooks == null) {
            outputHooks = new HashMap<>();
        }
        outputHooks.computeIfAbsent(output, k -> new ArrayList<>()).add(hook);
    }

    final boolean removeOutputHook(int output, UnaryOperator<Tensor> hook) {
        List<UnaryOperator<Tensor>> hooks = outputHooks == null ? null : outputHooks.get(output);
        return hooks != null && hooks.remove(hook);
    }

    final void retainGrad(int output, Tensor tensor) {
        if (retained == null) {
            retained = new HashMap<>();
        }
        retained.put(output, tensor);
    }

    /** Stops keeping output {@code output}'s gradient: its tensor moved to another node (an in-place op). */
    final void stopRetaining(int output) {
        if (retained != null) {
            retained.remove(output);
        }
    }

    /** Runs the output hooks on an arriving gradient, then stores it for retained tensors. */
    final Tensor preprocess(int output, Tensor grad) {
        List<UnaryOperator<Tensor>> hooks = outputHooks == null ? null : outputHooks.get(output);
        if (hooks != null) {
            for (UnaryOperator<Tensor> hook : List.copyOf(hooks)) {
                Tensor replaced = hook.apply(grad);
                if (replaced != null) {
                    Hooks.checkReplacement(name(), grad, replaced);
                    grad = replaced;
                }
            }
        }
        Tensor keep = retained == null ? null : retained.get(output);
        if (keep != null) {
            keep.accumulateRetained(grad);
        }
        return grad;
    }

    @Override
    public String toString() {
        return "<" + name() + ">";
    }
}
