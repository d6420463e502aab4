package org.weft.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;
import org.weft.tensor.random.Generator;

/**
 * GELU's fused gradient against GELU written as a composition of primitive ops (erf, exp,
 * tanh, mul): the same first and second derivatives, and numerical gradchecks through two
 * levels of the fused op.
 */
class GeluFusedGradientTest {

    private static final double SQRT1_2 = Math.sqrt(0.5);
    private static final double BETA = Math.sqrt(2.0 / Math.PI);
    private static final double KAPPA = 0.044715;

    /** x Phi(x) from primitives, Phi(x) = (1 + erf(x/sqrt 2))/2. */
    private static Tensor composedExact(Tensor x) {
        return x.mul(x.mul(SQRT1_2).erf().add(1.0).mul(0.5));
    }

    /** (x/2)(1 + tanh(BETA (x + KAPPA x^3))) from primitives. */
    private static Tensor composedTanh(Tensor x) {
        return x.mul(0.5).mul(x.add(x.mul(x).mul(x).mul(KAPPA)).mul(BETA).tanh().add(1.0));
    }

    private static Tensor input(DType dtype, long seed, int... dims) {
        return Tensor.of(NDArray.randn(dtype, new Generator(seed), dims).mul(2.5)).requiresGrad_(true);
    }

    /** First and second derivatives (vector-Jacobian products) of fused vs composed GELU, F64. */
    private static void assertSameDerivatives(String approximate, UnaryOperator<Tensor> composed, Tensor x) {
        Tensor v = Tensor.of(NDArray.randn(DType.F64, new Generator(5), x.dims()));
        Tensor w = Tensor.of(NDArray.randn(DType.F64, new Generator(6), x.dims()));
        Tensor fused = x.gelu(approximate);
        Tensor reference = composed.apply(x);
        assertClose(reference.data(), fused.data(), 1e-14, "forward");
        Tensor dFused = Autograd.grad(new Tensor[] {fused}, new Tensor[] {x}, new Tensor[] {v}, true)[0];
        Tensor dReference = Autograd.grad(new Tensor[] {reference}, new Tensor[] {x}, new Tensor[] {v}, true)[0];
        assertClose(dReference.data(), dFused.data(), 1e-13, "first derivative");
        Tensor d2Fused = Autograd.grad(new Tensor[] {dFused}, new Tensor[] {x}, new Tensor[] {w}, false)[0];
        Tensor d2Reference = Autograd.grad(new Tensor[] {dReference}, new Tensor[] {x}, new Tensor[] {w}, false)[0];
        assertClose(d2Reference.data(), d2Fused.data(), 1e-12, "second derivative");
    }

    private static void assertClose(NDArray expected, NDArray actual, double tol, String what) {
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        assertEquals(e.length, a.length, what);
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], tol * Math.max(1.0, Math.abs(e[i])), what + " at " + i);
        }
    }

    @Test
    void fusedDerivativesEqualTheComposedOnes() {
        assertSameDerivatives("none", GeluFusedGradientTest::composedExact, input(DType.F64, 1, 7, 13));
        assertSameDerivatives("tanh", GeluFusedGradientTest::composedTanh, input(DType.F64, 2, 7, 13));
        // A transposed (strided) input goes through the same kernel.
        Tensor t = Tensor.of(NDArray.randn(DType.F64, new Generator(3), 9, 4).mul(2.5).t()).requiresGrad_(true);
        assertSameDerivatives("none", GeluFusedGradientTest::composedExact, t);
        assertSameDerivatives("tanh", GeluFusedGradientTest::composedTanh, t);
    }

    @Test
    void f32GradientMatchesTheF64Composition() {
        for (String approximate : new String[] {"none", "tanh"}) {
            Tensor x32 = input(DType.F32, 4, 3, 1001);
            Tensor x64 = Tensor.of(x32.data().to(DType.F64)).requiresGrad_(true);
            Tensor g = Tensor.of(NDArray.randn(DType.F32, new Generator(8), 3, 1001));
            Tensor d32 = Autograd.grad(new Tensor[] {x32.gelu(approximate)}, new Tensor[] {x32}, new Tensor[] {g}, false)[0];
            UnaryOperator<Tensor> composed = approximate.equals("tanh")
                    ? GeluFusedGradientTest::composedTanh : GeluFusedGradientTest::composedExact;
            Tensor d64 = Autograd.grad(new Tensor[] {composed.apply(x64)}, new Tensor[] {x64},
                    new Tensor[] {Tensor.of(g.data().to(DType.F64))}, false)[0];
            assertEquals(DType.F32, d32.dtype());
            assertClose(d64.data(), d32.data().to(DType.F64), 2e-7, approximate + " F32 gradient");
        }
    }

    @Test
    void gradcheckAndGradgradcheckPassThroughTheFusedBackward() {
        for (String approximate : new String[] {"none", "tanh"}) {
            Tensor x = input(DType.F64, 9, 4, 5);
            assertTrue(GradCheck.gradcheckSingle(in -> in[0].gelu(approximate), x));
            assertTrue(GradCheck.gradgradcheck(in -> new Tensor[] {in[0].gelu(approximate)}, 3, x));
            // The fused backward itself, as a function of (grad, x): its own gradients are the
            // second-order ones, so this checks third derivatives of GELU.
            Tensor g = input(DType.F64, 10, 4, 5);
            assertTrue(GradCheck.gradgradcheck(in -> Autograd.grad(new Tensor[] {in[1].gelu(approximate)},
                    new Tensor[] {in[1]}, new Tensor[] {in[0]}, true), 4, g, x));
        }
    }
}
