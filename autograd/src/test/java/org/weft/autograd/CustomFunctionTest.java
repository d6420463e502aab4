package org.weft.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.weft.tensor.NDArray;

/** A researcher's own op: forward, backward, saved tensors, needsInputGrad, non-differentiable outputs. */
class CustomFunctionTest {

    /** x^3 with a hand-written derivative 3x^2, built from tensor ops so it differentiates again. */
    static final class Cube extends Function {
        @Override
        protected Tensor forward(Tensor... in) {
            saveForBackward(in[0]);
            return result(in[0].data().pow(3));
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            Tensor x = saved(0);
            return grads(grad.mul(x.mul(x)).mul(3));
        }
    }

    /** A straight-through estimator: rounds in forward, passes the gradient unchanged in backward. */
    static final class StraightThroughRound extends Function {
        @Override
        protected Tensor forward(Tensor... in) {
            return result(in[0].data().round());
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            return grads(grad);
        }
    }

    /** Scales x by a constant factor; records which inputs needed gradients. */
    static final class Scale extends Function {
        boolean[] asked = new boolean[2];

        @Override
        protected Tensor forward(Tensor... in) {
            saveForBackward(in[1]);
            return result(in[0].data().mul(in[1].data()));
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            asked[0] = needsInputGrad(0);
            asked[1] = needsInputGrad(1);
            return grads(needsInputGrad(0) ? grad.mul(saved(0)) : null, null);
        }
    }

    /** Values and the index of the largest element: the index is not differentiable. */
    static final class MaxWithIndex extends MultiOutputFunction {
        private int index;
        private int n;

        @Override
        protected Tensor[] forward(Tensor... in) {
            double[] v = in[0].data().toDoubleArray();
            n = v.length;
            for (int i = 1; i < n; i++) {
                if (v[i] > v[index]) {
                    index = i;
                }
            }
            markNonDifferentiable(1);
            return new Tensor[] {result(NDArray.scalar(v[index], in[0].dtype())),
                result(NDArray.scalar(index, org.weft.tensor.DType.I64))};
        }

        @Override
        protected Tensor[] backward(Tensor... grads) {
            double[] g = new double[n];
            g[index] = grads[0].item();
            return new Tensor[] {Tensor.of(NDArray.of(g, n).to(grads[0].dtype()))};
        }
    }

    @Test
    void aCustomFunctionGivesItsGradient() {
        Tensor x = Tensor.of(new double[] {1, 2, -3}, 3).requiresGrad_(true);
        new Cube().apply(x).sum().backward();
        assertArrayEquals(new double[] {3, 12, 27}, x.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void aCustomFunctionPassesGradcheckAndGradgradcheck() {
        Tensor x = Tensor.of(new double[] {0.5, -1.5, 2}, 3).requiresGrad_(true);
        assertTrue(GradCheck.gradcheckSingle(in -> new Cube().apply(in[0]), x));
        assertTrue(GradCheck.gradgradcheck(in -> new Tensor[] {new Cube().apply(in[0])}, 3, x));
    }

    /** x^3 with a wrong derivative (2 instead of 3x^2): gradcheck must notice. */
    static final class WrongCube extends Function {
        @Override
        protected Tensor forward(Tensor... in) {
            return result(in[0].data().pow(3));
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            return grads(grad.mul(2));
        }
    }

    @Test
    void gradcheckCatchesAWrongBackward() {
        Tensor x = Tensor.of(new double[] {0.5, 1.5}, 2).requiresGrad_(true);
        GradCheck.GradCheckFailure e = assertThrows(GradCheck.GradCheckFailure.class,
                () -> GradCheck.gradcheckSingle(in -> new WrongCube().apply(in[0]), x));
        assertTrue(e.getMessage().contains("numerical 0.75"), e.getMessage());
    }

    /**
     * An expanded input shares one element among several positions, so perturbing "one"
     * perturbs them all: PyTorch's gradcheck refuses such inputs, rather than report a mismatch
     * of a correct backward.
     */
    @Test
    void gradcheckRefusesAnInputWhoseElementsShareMemory() {
        Tensor x = Tensor.of(NDArray.of(new double[] {0.5, 1.5}, 2, 1).expand(2, 3)).requiresGrad_(true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradCheck.gradcheckSingle(in -> in[0].mul(in[0]), x));
        assertTrue(e.getMessage().contains("stride 0"), e.getMessage());
    }

    @Test
    void aStraightThroughEstimatorOverridesTheTrueDerivative() {
        Tensor x = Tensor.of(new double[] {0.4, 1.6}, 2).requiresGrad_(true);
        Tensor y = new StraightThroughRound().apply(x);
        assertArrayEquals(new double[] {0, 2}, y.toDoubleArray());
        y.mul(y).sum().backward();
        assertArrayEquals(new double[] {0, 4}, x.grad().toDoubleArray());
    }

    @Test
    void needsInputGradTellsWhichGradientsAreWanted() {
        Tensor x = Tensor.of(new double[] {1, 2}, 2).requiresGrad_(true);
        Tensor factor = Tensor.of(new double[] {3}, 1);
        Scale op = new Scale();
        op.apply(x, factor).sum().backward();
        assertTrue(op.asked[0]);
        assertFalse(op.asked[1]);
        assertArrayEquals(new double[] {3, 3}, x.grad().toDoubleArray());
    }

    @Test
    void nonDifferentiableOutputsDoNotRequireGrad() {
        Tensor x = Tensor.of(new double[] {1, 5, 2}, 3).requiresGrad_(true);
        Tensor[] out = new MaxWithIndex().apply(x);
        assertTrue(out[0].requiresGrad());
        assertFalse(out[1].requiresGrad());
        assertNull(out[1].gradFn());
        out[0].backward();
        assertArrayEquals(new double[] {0, 1, 0}, x.grad().toDoubleArray());
    }

    @Test
    void aBackwardReturningTheWrongNumberOfGradientsIsAnError() {
        Tensor x = Tensor.of(new double[] {1}, 1).requiresGrad_(true);
        Function bad = new Function() {
            @Override
            protected Tensor forward(Tensor... in) {
                return result(in[0].data().mul(2.0));
            }

            @Override
            protected Tensor[] backward(Tensor grad) {
                return grads(grad, grad);
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> bad.apply(x).sum().backward());
        assertTrue(e.getMessage().contains("returned 2 gradients but expected 1"), e.getMessage());
    }

    /** A backward that gives no gradient for its input, though the input requires grad. */
    static final class Blocked extends Function {
        @Override
        protected Tensor forward(Tensor... in) {
            return result(in[0].data().mul(2.0));
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            return grads((Tensor) null);
        }
    }

    /**
     * PyTorch: a None from backward is no gradient, not a zero one. x.grad stays None (an
     * optimiser then skips x), hooks are not called, the nodes behind pass nothing on, and
     * torch.autograd.grad reports x as unused.
     */
    @Test
    void aNullGradientFromBackwardLeavesTheLeafWithoutAGradient() {
        Tensor x = Tensor.of(new double[] {1, 2}, 2).requiresGrad_(true);
        boolean[] hookCalled = {false};
        x.registerHook(g -> {
            hookCalled[0] = true;
            return null;
        });
        new Blocked().apply(x.mul(3.0)).sum().backward();
        assertNull(x.grad());
        assertFalse(hookCalled[0]);

        Tensor[] g = Autograd.grad(new Tensor[] {new Blocked().apply(x).sum()}, new Tensor[] {x}, null, false, false, true);
        assertNull(g[0]);
        assertThrows(IllegalArgumentException.class, () -> Autograd.grad(new Blocked().apply(x).sum(), x));
    }

    /** A backward that reads a saved tensor its forward never saved fails saying so, not with a NullPointerException. */
    @Test
    void readingATensorThatWasNeverSavedIsAClearError() {
        Tensor x = Tensor.of(new double[] {1, 2}, 2).requiresGrad_(true);
        Function forgetful = new Function() {
            @Override
            protected Tensor forward(Tensor... in) {
                return result(in[0].data().mul(2.0));
            }

            @Override
            protected Tensor[] backward(Tensor grad) {
                return grads(grad.mul(saved(0)));
            }
        };
        Tensor y = forgetful.apply(x).sum();
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("saveForBackward"), e.getMessage());

        Function saveOne = new Function() {
            @Override
            protected Tensor forward(Tensor... in) {
                saveForBackward(in[0]);
                return result(in[0].data().mul(2.0));
            }

            @Override
            protected Tensor[] backward(Tensor grad) {
                return grads(grad.mul(saved(1)));
            }
        };
        Tensor z = saveOne.apply(x).sum();
        IllegalStateException f = assertThrows(IllegalStateException.class, z::backward);
        assertTrue(f.getMessage().contains("saved tensor 1") && f.getMessage().contains("1 tensor"), f.getMessage());
    }
}
