package org.weft.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.weft.tensor.DType;

/** Leaves, non-leaves and gradient accumulation behave as in PyTorch. */
class LeafSemanticsTest {

    private static Tensor leaf(double... values) {
        return Tensor.of(values, values.length).requiresGrad_(true);
    }

    @Test
    void resultsOfRecordedOpsAreNonLeavesThatRequireGrad() {
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(x);
        assertTrue(x.isLeaf());
        assertFalse(y.isLeaf());
        assertTrue(y.requiresGrad());
        assertNotNull(y.gradFn());
        assertTrue(y.gradFn().name().startsWith("Mul"));
    }

    @Test
    void opsOnTensorsThatDoNotRequireGradRecordNothing() {
        Tensor a = Tensor.of(new double[] {1, 2}, 2);
        Tensor b = a.mul(a);
        assertTrue(b.isLeaf());
        assertFalse(b.requiresGrad());
    }

    @Test
    void gradientsAccumulateAcrossBackwardCalls() {
        Tensor x = leaf(1, 2, 3);
        x.mul(x).sum().backward();
        assertArrayEquals(new double[] {2, 4, 6}, x.grad().toDoubleArray());
        x.mul(3).sum().backward();
        assertArrayEquals(new double[] {5, 7, 9}, x.grad().toDoubleArray());
        x.setGrad(null);
        x.sum().backward();
        assertArrayEquals(new double[] {1, 1, 1}, x.grad().toDoubleArray());
    }

    @Test
    void aTensorUsedTwiceGetsTheSumOfBothPaths() {
        Tensor x = leaf(2);
        Tensor a = x.mul(3);
        Tensor b = x.mul(x);
        a.add(b).sum().backward(); // d/dx (3x + x^2) = 3 + 2x
        assertArrayEquals(new double[] {7}, x.grad().toDoubleArray());
    }

    @Test
    void nonLeavesKeepNoGradUnlessRetained() {
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(2);
        Tensor z = x.mul(3).retainGrad();
        // As tensor.retains_grad: true only for a non-leaf that asked; a leaf keeps its grad anyway.
        assertFalse(x.retainsGrad());
        assertFalse(y.retainsGrad());
        assertTrue(z.retainsGrad());
        y.add(z).mul(z).sum().backward();
        assertNull(y.grad());
        // d/dz of (y + z) * z = y + 2z = 2x + 6x
        assertArrayEquals(new double[] {8, 16}, z.grad().toDoubleArray());
    }

    @Test
    void aLongChainDoesNotOverflowTheStack() {
        Tensor x = leaf(1);
        Tensor y = x;
        for (int i = 0; i < 20_000; i++) {
            y = y.add(1.0);
        }
        y.sum().backward();
        assertArrayEquals(new double[] {1}, x.grad().toDoubleArray());
    }

    @Test
    void backwardAgainThroughAFreedGraphFails() {
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(x).sum();
        y.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("backward through the graph a second time"), e.getMessage());
    }

    @Test
    void retainGraphAllowsASecondBackward() {
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(x).sum();
        y.backward(y.onesLike(), true, false);
        y.backward();
        assertArrayEquals(new double[] {4, 8}, x.grad().toDoubleArray());
    }

    @Test
    void implicitGradientNeedsAOneElementOutput() {
        Tensor y = leaf(1, 2).mul(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, y::backward);
        assertTrue(e.getMessage().contains("only for scalar outputs"), e.getMessage());
    }

    @Test
    void backwardOfATensorOutsideTheGraphFails() {
        Tensor y = Tensor.of(new double[] {1}, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, y::backward);
        assertTrue(e.getMessage().contains("does not require grad and does not have a grad_fn"), e.getMessage());
    }

    @Test
    void onlyFloatingLeavesCanRequireGrad() {
        Tensor i = Tensor.of(new long[] {1, 2}, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> i.requiresGrad_(true));
        assertTrue(e.getMessage().contains("floating point"), e.getMessage());
    }

    @Test
    void requiresGradOfANonLeafCannotBeSwitchedOff() {
        Tensor y = leaf(1).mul(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.requiresGrad_(false));
        assertTrue(e.getMessage().contains("leaf variables"), e.getMessage());
    }

    @Test
    void aGradientOfTheWrongShapeIsRefused() {
        Tensor y = leaf(1, 2).mul(2);
        Tensor wrong = Tensor.of(new double[] {1, 2, 3}, 3);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.backward(wrong));
        assertTrue(e.getMessage().contains("[3]") && e.getMessage().contains("[2]"), e.getMessage());
    }

    @Test
    void detachCutsTheGraphButSharesData() {
        Tensor x = leaf(1, 2);
        Tensor d = x.mul(2).detach();
        assertFalse(d.requiresGrad());
        assertTrue(d.isLeaf());
        Tensor y = x.mul(d).sum();
        y.backward();
        assertArrayEquals(new double[] {2, 4}, x.grad().toDoubleArray()); // d is a constant
    }

    @Test
    void gradientsFlowThroughDtypeConversions() {
        Tensor x = Tensor.of(new float[] {1, 2}, 2).requiresGrad_(true);
        Tensor y = x.to(DType.F64).mul(x.to(DType.F64)).sum();
        y.backward();
        assertTrue(x.grad().dtype() == DType.F32);
        assertArrayEquals(new float[] {2, 4}, x.grad().toFloatArray());
    }

    /**
     * With createGraph a leaf's first gradient is a (differentiable) copy, as PyTorch's
     * AccumulateGrad clones it: add passes the seed through unchanged, and storing it as is
     * made x.grad, w.grad and the caller's seed one tensor, which the next backward then
     * accumulated into three times over.
     */
    @Test
    void aGradientRecordedWithCreateGraphSharesNothingWithTheSeedOrOtherLeaves() {
        Tensor x = Tensor.of(new double[] {1, 2}, 2).requiresGrad_(true);
        Tensor w = Tensor.of(new double[] {3, 4}, 2).requiresGrad_(true);
        Tensor seed = Tensor.of(new double[] {1, 1}, 2);
        Tensor z = x.add(w);
        z.backward(seed, true, true);
        assertNotSame(x.grad(), w.grad());
        assertNotSame(seed, x.grad());
        z.backward(seed);
        assertArrayEquals(new double[] {2, 2}, x.grad().toDoubleArray());
        assertArrayEquals(new double[] {2, 2}, w.grad().toDoubleArray());
        assertArrayEquals(new double[] {1, 1}, seed.toDoubleArray());
    }

    /**
     * PyTorch moves retain_grad to the history an in-place op gives the tensor: y.grad is the
     * gradient of the written value (d(9y^2)/d(3y) = 6y), not of the one it replaced (18y).
     */
    @Test
    void aRetainedGradientFollowsTheTensorThroughAnInPlaceOp() {
        Tensor x = Tensor.of(new double[] {1, 2}, 2).requiresGrad_(true);
        Tensor y = x.mul(1.0);
        y.retainGrad();
        y.mul_(3.0);
        y.mul(y).sum().backward();
        assertArrayEquals(new double[] {6, 12}, y.grad().toDoubleArray());
        assertArrayEquals(new double[] {18, 36}, x.grad().toDoubleArray());
    }
}
