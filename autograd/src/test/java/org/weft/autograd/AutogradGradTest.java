package org.weft.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Autograd.grad returns gradients without touching .grad, and with createGraph they differentiate again. */
class AutogradGradTest {

    @Test
    void gradDoesNotAccumulateIntoLeaves() {
        Tensor x = Tensor.of(new double[] {1, 2}, 2).requiresGrad_(true);
        Tensor g = Autograd.grad(x.mul(x).sum(), x);
        assertArrayEquals(new double[] {2, 4}, g.toDoubleArray());
        assertNull(x.grad());
    }

    @Test
    void secondDerivativeOfACubeIsSixX() {
        Tensor x = Tensor.of(new double[] {1, -2, 3}, 3).requiresGrad_(true);
        Tensor y = x.mul(x).mul(x).sum();
        Tensor dy = Autograd.grad(new Tensor[] {y}, new Tensor[] {x}, null, true)[0];
        assertArrayEquals(new double[] {3, 12, 27}, dy.toDoubleArray(), 1e-12);
        assertTrue(dy.requiresGrad());
        Tensor d2y = Autograd.grad(dy.sum(), x);
        assertArrayEquals(new double[] {6, -12, 18}, d2y.toDoubleArray(), 1e-12);
    }

    @Test
    void thirdDerivativesWork() {
        Tensor x = Tensor.of(new double[] {2}, 1).requiresGrad_(true);
        Tensor y = x.mul(x).mul(x).mul(x).sum(); // x^4
        Tensor d1 = Autograd.grad(new Tensor[] {y}, new Tensor[] {x}, null, true)[0];
        Tensor d2 = Autograd.grad(new Tensor[] {d1.sum()}, new Tensor[] {x}, null, true)[0];
        Tensor d3 = Autograd.grad(d2.sum(), x);
        assertArrayEquals(new double[] {24 * 2}, d3.toDoubleArray(), 1e-12);
    }

    @Test
    void gradWithRespectToAnIntermediate() {
        Tensor x = Tensor.of(new double[] {1, 2}, 2).requiresGrad_(true);
        Tensor h = x.mul(2);
        Tensor y = h.mul(h).sum();
        Tensor g = Autograd.grad(y, h);
        assertArrayEquals(new double[] {4, 8}, g.toDoubleArray());
    }

    @Test
    void unusedInputsAreAnErrorUnlessAllowed() {
        Tensor x = Tensor.of(new double[] {1}, 1).requiresGrad_(true);
        Tensor unused = Tensor.of(new double[] {1}, 1).requiresGrad_(true);
        Tensor y = x.mul(2).sum();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Autograd.grad(new Tensor[] {y}, new Tensor[] {x, unused}, null, false, true, false));
        assertTrue(e.getMessage().contains("not have been used"), e.getMessage());
        Tensor[] g = Autograd.grad(new Tensor[] {y}, new Tensor[] {x, unused}, null, false, false, true);
        assertArrayEquals(new double[] {2}, g[0].toDoubleArray());
        assertNull(g[1]);
    }

    @Test
    void severalOutputsWithTheirOwnGradients() {
        Tensor x = Tensor.of(new double[] {1, 2}, 2).requiresGrad_(true);
        Tensor a = x.mul(2);
        Tensor b = x.mul(x);
        Tensor[] g = Autograd.grad(new Tensor[] {a, b}, new Tensor[] {x},
                new Tensor[] {Tensor.of(new double[] {1, 1}, 2), Tensor.of(new double[] {10, 10}, 2)}, false);
        assertArrayEquals(new double[] {2 + 20, 2 + 40}, g[0].toDoubleArray());
    }

    @Test
    void gradOutputsMustMatchTheOutputsOneForOne() {
        Tensor x = Tensor.of(new double[] {1, 2}, 2).requiresGrad_(true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Autograd.grad(
                new Tensor[] {x.sum(), x.mul(x).sum()}, new Tensor[] {x}, new Tensor[] {null}, false));
        assertTrue(e.getMessage().contains("1") && e.getMessage().contains("2"), e.getMessage());
    }
}
