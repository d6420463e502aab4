package org.weft.autograd;

import org.weft.tensor.DType;
import org.weft.tensor.Shape;

/**
 * The end of the backward graph for a leaf tensor that requires grad: adds the arriving
 * gradient into the leaf's {@code grad}, as PyTorch's AccumulateGrad does.
 */
final class AccumulateGrad extends Node {

    private final Tensor leaf;

    AccumulateGrad(Tensor leaf) {
        this.leaf = leaf;
    }

    Tensor leaf() {
        return leaf;
    }

    @Override
    public String name() {
        return "AccumulateGrad";
    }

    @Override
    int outputCount() {
        return 1;
    }

    @Override
    Shape outputShape(int i) {
        return leaf.shape();
    }

    @Override
    DType outputDtype(int i) {
        return leaf.dtype();
    }

    @Override
    Tensor zeroGradient(int i) {
        return leaf.zerosLike();
    }

    /**
     * The first gradient is copied, so later in-place accumulation never writes into a
     * tensor the caller (or another leaf: add passes one gradient to both operands) still
     * holds; with a recorded graph (createGraph) the copy and the accumulation are recorded
     * ops, so the grad itself can be differentiated.
     */
    @Override
    Tensor[] applyBackward(Tensor[] gradOutputs) {
        Tensor g = gradOutputs[0];
        Tensor current = leaf.grad();
        if (Grad.isEnabled()) {
            leaf.setGrad(current == null ? g.copy() : current.add(g));
        } else if (current == null) {
            leaf.setGrad(new Tensor(g.data().copy(), false));
        } else if (current.requiresGrad()) {
            leaf.setGrad(new Tensor(current.data().add(g.data()), false));
        } else {
            current.data().add_(g.data());
        }
        return new Tensor[0];
    }
}
