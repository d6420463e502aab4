package org.weft.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** In-place ops: version counters guard saved values; history is rebased; leaves are protected. */
class InPlaceTest {

    @Test
    void modifyingASavedTensorMakesBackwardFailClearly() {
        Tensor w = Tensor.of(new double[] {1, 2}, 2).requiresGrad_(true);
        Tensor x = Tensor.of(new double[] {3, 4}, 2).requiresGrad_(true).mul(1.0); // a non-leaf
        Tensor y = x.mul(w).sum(); // saves x for w's gradient
        x.add_(Tensor.of(new double[] {1, 1}, 2));
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("modified by an inplace operation"), e.getMessage());
        assertTrue(e.getMessage().contains("version"), e.getMessage());
    }

    @Test
    void anInPlaceOpOnANonLeafBecomesItsHistory() {
        Tensor x = Tensor.of(new double[] {1, 2}, 2).requiresGrad_(true);
        Tensor y = Tensor.of(new double[] {5, 6}, 2).requiresGrad_(true);
        Tensor a = x.mul(2);
        a.add_(y.mul(y));
        assertArrayEquals(new double[] {27, 40}, a.toDoubleArray());
        a.sum().backward();
        assertArrayEquals(new double[] {2, 2}, x.grad().toDoubleArray());
        assertArrayEquals(new double[] {10, 12}, y.grad().toDoubleArray());
    }

    @Test
    void aLeafThatRequiresGradCannotBeModifiedWhileRecording() {
        Tensor w = Tensor.of(new double[] {1}, 1).requiresGrad_(true);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.mul_(2));
        assertTrue(e.getMessage().contains("leaf Variable that requires grad"), e.getMessage());
    }

    @Test
    void optimiserStyleUpdatesUnderNoGradAreAllowedAndBumpTheVersion() {
        Tensor w = Tensor.of(new double[] {1, 2}, 2).requiresGrad_(true);
        Tensor y = w.mul(w).sum(); // saves w
        y.backward(y.onesLike(), true, false);
        int before = w.data().storage().version();
        try (var g = Grad.disabled()) {
            w.sub_(w.grad().mul(0.1));
        }
        assertTrue(w.isLeaf());
        assertArrayEquals(new double[] {0.8, 1.6}, w.toDoubleArray(), 1e-12);
        assertTrue(w.data().storage().version() > before);
        // The graph built before the update saved the old w: using it now must fail.
        assertThrows(IllegalStateException.class, y::backward);
    }

    @Test
    void inPlaceOnAViewOfATrackedTensorIsRefused() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4}, 4).requiresGrad_(true).mul(1.0);
        Tensor v = x.narrow(0, 1, 2);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> v.mul_(Tensor.of(new double[] {2}, 1).requiresGrad_(true)));
        assertTrue(e.getMessage().contains("view"), e.getMessage());
    }

    @Test
    void copyIntoATensorSendsTheGradientToTheSource() {
        Tensor src = Tensor.of(new double[] {1, 2}, 2).requiresGrad_(true);
        Tensor dst = Tensor.zeros(org.weft.tensor.DType.F64, 2);
        dst.copy_(src.mul(3));
        dst.sum().backward();
        assertArrayEquals(new double[] {3, 3}, src.grad().toDoubleArray());
    }

    @Test
    void fillAndZeroWriteConstants() {
        Tensor t = Tensor.of(new double[] {1, 2}, 2);
        t.fill_(7);
        assertArrayEquals(new double[] {7, 7}, t.toDoubleArray());
        t.zero_();
        assertArrayEquals(new double[] {0, 0}, t.toDoubleArray());
    }

    /** PyTorch: x.sin().div_(2) backpropagates cos(x)/2; the divisor is all DivBackward needs then. */
    @Test
    void dividingANonLeafInPlaceByAConstantKeepsItsGradient() {
        Tensor x = Tensor.of(new double[] {1, 2, 3}, 3).requiresGrad_(true);
        Tensor y = x.sin();
        y.div_(Tensor.scalar(2, org.weft.tensor.DType.F64));
        y.sum().backward();
        assertArrayEquals(new double[] {Math.cos(1) / 2, Math.cos(2) / 2, Math.cos(3) / 2},
                x.grad().toDoubleArray(), 1e-15);
    }

    /**
     * PyTorch keeps the value self had before the write for the other operand's gradient:
     * y.mul_(w) gives w.grad = old y, and y.div_(w) gives -old y / w^2.
     */
    @Test
    void theOtherOperandsGradientSeesTheValueBeforeTheWrite() {
        Tensor w = Tensor.of(new double[] {2, 4}, 2).requiresGrad_(true);
        Tensor y = Tensor.of(new double[] {1, 3}, 2);
        y.mul_(w);
        y.sum().backward();
        assertArrayEquals(new double[] {2, 12}, y.toDoubleArray());
        assertArrayEquals(new double[] {1, 3}, w.grad().toDoubleArray());

        Tensor v = Tensor.of(new double[] {2, 4}, 2).requiresGrad_(true);
        Tensor x = Tensor.of(new double[] {5, 6}, 2).requiresGrad_(true);
        Tensor z = x.mul(1.0);
        z.div_(v);
        z.sum().backward();
        assertArrayEquals(new double[] {-5.0 / 4, -6.0 / 16}, v.grad().toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {0.5, 0.25}, x.grad().toDoubleArray(), 1e-15);
    }

    /**
     * PyTorch rebases a view whose base was modified in place (v's gradient then goes through
     * the write: x.grad = [2, 2, 0] below). Weft cannot replay the view, so using it must fail
     * clearly rather than give the old history's [1, 1, 0].
     */
    @Test
    void aViewTakenBeforeItsBaseWasModifiedInPlaceIsRefusedWhenUsed() {
        Tensor x = Tensor.of(new double[] {1, 2, 3}, 3).requiresGrad_(true);
        Tensor y = x.mul(1.0);
        Tensor v = y.narrow(0, 0, 2);
        y.mul_(2.0);
        IllegalStateException e = assertThrows(IllegalStateException.class, v::sum);
        assertTrue(e.getMessage().contains("view"), e.getMessage());
        assertTrue(e.getMessage().contains("modified in place"), e.getMessage());
        // Taken again after the write, the view carries the write's history.
        y.narrow(0, 0, 2).sum().backward();
        assertArrayEquals(new double[] {2, 2, 0}, x.grad().toDoubleArray());
    }

    /** PyTorch: an I64 tensor cannot take a floating result in place ("can't be cast to the desired output type"). */
    @Test
    void anInPlaceResultMustFitTheTensorsDtype() {
        Tensor counts = Tensor.of(new long[] {1, 2}, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> counts.add_(Tensor.of(new double[] {0.5, 0.5}, 2)));
        assertTrue(e.getMessage().contains("F64") && e.getMessage().contains("I64"), e.getMessage());
        assertArrayEquals(new long[] {1, 2}, counts.toLongArray());
    }

    /**
     * PyTorch records buf[0].copy_(h) into buf (its grad_fn becomes CopySlices), so a loss on
     * buf reaches h. Weft records no write into a base, so the write must be refused, not leave
     * buf without history and h without a gradient. Without grad the write is a plain copy.
     */
    @Test
    void writingARecordedValueIntoAViewOfAnUntrackedTensorIsRefused() {
        Tensor h = Tensor.of(new double[] {1, 2}, 2).requiresGrad_(true);
        Tensor buf = Tensor.zeros(org.weft.tensor.DType.F64, 2, 2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> buf.select(0, 0).copy_(h.mul(2)));
        assertTrue(e.getMessage().contains("view"), e.getMessage());
        assertArrayEquals(new double[] {0, 0, 0, 0}, buf.toDoubleArray(), "a refused write changes nothing");

        buf.select(0, 1).copy_(Tensor.of(new double[] {3, 4}, 2));
        try (var g = Grad.disabled()) {
            buf.select(0, 0).copy_(h);
        }
        assertArrayEquals(new double[] {1, 2, 3, 4}, buf.toDoubleArray());
    }

    /** relu_, as torchvision's ReLU(inplace=True): the non-leaf takes relu's history. */
    @Test
    void reluInPlaceBecomesTheTensorsHistory() {
        Tensor x = Tensor.of(new double[] {-1, 2, -3, 4}, 4).requiresGrad_(true);
        Tensor y = x.mul(3.0);
        assertSame(y, y.relu_());
        assertArrayEquals(new double[] {0, 6, 0, 12}, y.toDoubleArray());
        y.sum().backward();
        assertArrayEquals(new double[] {0, 3, 0, 3}, x.grad().toDoubleArray());
        assertThrows(IllegalStateException.class, x::relu_);
    }

    @Test
    void clampInPlaceDifferentiatesAsClamp() {
        Tensor x = Tensor.of(new double[] {-2, 0.5, 3}, 3).requiresGrad_(true);
        Tensor y = x.mul(1.0);
        y.clamp_(-1, 1);
        assertArrayEquals(new double[] {-1, 0.5, 1}, y.toDoubleArray());
        y.mul(y).sum().backward(); // d/dx clamp(x)^2 = 2 clamp(x) inside the bounds, 0 outside
        assertArrayEquals(new double[] {0, 1, 0}, x.grad().toDoubleArray());
    }

    @Test
    void maskedFillInPlaceStopsTheGradientWhereItWrites() {
        Tensor x = Tensor.of(new double[] {1, 2, 3}, 3).requiresGrad_(true);
        Tensor y = x.mul(2.0);
        y.maskedFill_(Tensor.of(org.weft.tensor.NDArray.of(new boolean[] {false, true, false}, 3)), -5);
        assertArrayEquals(new double[] {2, -5, 6}, y.toDoubleArray());
        y.sum().backward();
        assertArrayEquals(new double[] {2, 0, 2}, x.grad().toDoubleArray());
    }

    @Test
    void scalarInPlaceArithmetic() {
        Tensor x = Tensor.of(new double[] {1, 2}, 2).requiresGrad_(true);
        Tensor y = x.mul(1.0).add_(3).sub_(1).div_(4);
        assertArrayEquals(new double[] {0.75, 1}, y.toDoubleArray(), 1e-15);
        y.sum().backward();
        assertArrayEquals(new double[] {0.25, 0.25}, x.grad().toDoubleArray(), 1e-15);
    }
}
