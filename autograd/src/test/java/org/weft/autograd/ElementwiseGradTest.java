package org.weft.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The elementwise ops' gradients as specifications: closed-form first and second
 * derivatives, PyTorch's conventions at kinks and ties, and the saved-output checks.
 */
class ElementwiseGradTest {

    private static final double[] XS = {-3.1, -1.2, -0.4, 0.3, 0.9, 2.2};

    /** d/dx and d2/dx2 of op at XS, each from a backward with createGraph, against closed forms. */
    private static void assertDerivatives(UnaryOperator<Tensor> op, DoubleUnaryOperator first,
                                          DoubleUnaryOperator second) {
        Tensor x = Tensor.of(XS.clone(), XS.length).requiresGrad_(true);
        Tensor dy = Autograd.grad(new Tensor[] {op.apply(x).sum()}, new Tensor[] {x}, null, true)[0];
        Tensor d2y = Autograd.grad(new Tensor[] {dy.sum()}, new Tensor[] {x}, null, false)[0];
        double[] d1 = dy.toDoubleArray();
        double[] d2 = d2y.toDoubleArray();
        for (int i = 0; i < XS.length; i++) {
            assertEquals(first.applyAsDouble(XS[i]), d1[i], 1e-12, "first derivative at " + XS[i]);
            assertEquals(second.applyAsDouble(XS[i]), d2[i], 1e-12, "second derivative at " + XS[i]);
        }
    }

    @Test
    void tanhSigmoidAndGeluHaveTheirClosedFormSecondDerivatives() {
        assertDerivatives(Tensor::tanh,
                x -> 1 - Math.tanh(x) * Math.tanh(x),
                x -> -2 * Math.tanh(x) * (1 - Math.tanh(x) * Math.tanh(x)));
        DoubleUnaryOperator s = x -> 1 / (1 + Math.exp(-x));
        assertDerivatives(Tensor::sigmoid,
                x -> s.applyAsDouble(x) * (1 - s.applyAsDouble(x)),
                x -> s.applyAsDouble(x) * (1 - s.applyAsDouble(x)) * (1 - 2 * s.applyAsDouble(x)));
        // d/dx x Phi(x) = Phi(x) + x phi(x); d2/dx2 = phi(x) (2 - x^2).
        DoubleUnaryOperator phi = x -> Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
        assertDerivatives(Tensor::gelu,
                x -> Tensor.of(new double[] {x / Math.sqrt(2)}, 1).erf().item() * 0.5 + 0.5 + x * phi.applyAsDouble(x),
                x -> phi.applyAsDouble(x) * (2 - x * x));
        assertDerivatives(t -> t.pow(3.0), x -> 3 * x * x, x -> 6 * x);
        assertDerivatives(t -> t.rpow(2.0), x -> Math.pow(2, x) * Math.log(2),
                x -> Math.pow(2, x) * Math.log(2) * Math.log(2));
    }

    @Test
    void stepFunctionsHaveAZeroGradientRatherThanNone() {
        Tensor x = Tensor.of(new double[] {-1.5, 0.2, 2.5}, 3).requiresGrad_(true);
        Tensor y = x.floor().add(x.ceil()).add(x.round()).add(x.sign());
        assertEquals("SignBackward", y.gradFn().nextFunctions().get(1).name());
        y.sum().backward();
        assertArrayEquals(new double[] {0, 0, 0}, x.grad().toDoubleArray());
    }

    @Test
    void maximumAndMinimumSplitTiesEquallyAsPyTorch() {
        Tensor a = Tensor.of(new double[] {1, 2, 3}, 3).requiresGrad_(true);
        Tensor b = Tensor.of(new double[] {1, 3, 2}, 3).requiresGrad_(true);
        Tensor[] g = Autograd.grad(new Tensor[] {a.maximum(b).sum()}, new Tensor[] {a, b}, null, false);
        assertArrayEquals(new double[] {0.5, 0, 1}, g[0].toDoubleArray());
        assertArrayEquals(new double[] {0.5, 1, 0}, g[1].toDoubleArray());
        g = Autograd.grad(new Tensor[] {a.minimum(b).sum()}, new Tensor[] {a, b}, null, false);
        assertArrayEquals(new double[] {0.5, 1, 0}, g[0].toDoubleArray());
        assertArrayEquals(new double[] {0.5, 0, 1}, g[1].toDoubleArray());
    }

    @Test
    void clampPassesTheGradientOnItsBoundsAndReluDoesNotAtZero() {
        Tensor x = Tensor.of(new double[] {-2, -1, 0, 1, 2}, 5).requiresGrad_(true);
        assertArrayEquals(new double[] {0, 1, 1, 1, 0}, Autograd.grad(x.clamp(-1, 1).sum(), x).toDoubleArray());
        assertArrayEquals(new double[] {0, 0, 0, 1, 1}, Autograd.grad(x.relu().sum(), x).toDoubleArray());
        assertArrayEquals(new double[] {-1, -1, 0, 1, 1}, Autograd.grad(x.abs().sum(), x).toDoubleArray());
    }

    @Test
    void overwritingASavedOutputBeforeBackwardIsCaught() {
        Tensor x = Tensor.of(new double[] {0.5, -0.5}, 2).requiresGrad_(true);
        Tensor y = x.sigmoid(); // sigmoid keeps its output for backward
        y.mul_(2.0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.sum().backward());
        assertTrue(e.getMessage().contains("modified by an inplace operation"), e.getMessage());
    }

    @Test
    void comparisonsGiveMasksOutsideTheGraph() {
        Tensor x = Tensor.of(new double[] {1, 2}, 2).requiresGrad_(true);
        Tensor m = x.gt(1.5);
        assertEquals(org.weft.tensor.DType.BOOL, m.dtype());
        assertTrue(!m.requiresGrad() && m.gradFn() == null);
        Tensor picked = Tensor.where(m, x, x.mul(3.0));
        assertArrayEquals(new double[] {3, 1}, Autograd.grad(picked.sum(), x).toDoubleArray());
    }
}
