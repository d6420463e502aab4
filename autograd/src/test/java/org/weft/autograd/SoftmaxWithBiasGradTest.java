package org.weft.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;
import org.weft.tensor.random.Generator;

/**
 * The fused window-attention softmax ({@link Functional#softmaxWithBias}) against finite
 * differences to second order in F64, for each subset of inputs requiring grad (its backward
 * then computes only the gradients asked for), and against the same function composed of
 * separate differentiable ops; a mask that requires grad is refused.
 */
class SoftmaxWithBiasGradTest {

    private final Random random = new Random(11);
    private final Generator generator = new Generator(11);

    private Tensor randn(int... shape) {
        return Tensor.randn(DType.F64, generator, shape);
    }

    private Tensor mask(int windows, int n) {
        double[] v = new double[windows * n * n];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextBoolean() ? 0 : -100;
        }
        return Tensor.of(NDArray.of(v, v.length).reshape(windows, n, n));
    }

    @Test
    void secondDerivativesMatchFiniteDifferencesForEachInputSubset() {
        Tensor mask = mask(2, 3);
        boolean[][] subsets = {{true, true}, {true, false}, {false, true}};
        for (boolean[] s : subsets) {
            Tensor logits = randn(4, 2, 3, 3).requiresGrad_(s[0]);
            Tensor bias = randn(1, 2, 3, 3).requiresGrad_(s[1]);
            GradCheck.gradgradcheck(x -> new Tensor[] {Functional.softmaxWithBias(x[0], x[1], mask)}, 3, logits, bias);
        }
    }

    @Test
    void gradientsEqualThoseOfTheComposition() {
        Tensor mask = mask(3, 5);
        Tensor logits = randn(6, 2, 5, 5).requiresGrad_(true);
        Tensor bias = randn(2, 5, 5).requiresGrad_(true);
        Tensor seed = randn(6, 2, 5, 5);
        Tensor fused = Functional.softmaxWithBias(logits, bias, mask);
        Tensor composed = Functional.softmax(logits.add(bias).view(2, 3, 2, 5, 5).add(mask.unsqueeze(1))
                .view(6, 2, 5, 5), -1);
        assertArrayEquals(composed.toDoubleArray(), fused.toDoubleArray(), 1e-14);
        Tensor[] a = Autograd.grad(new Tensor[] {fused}, new Tensor[] {logits, bias}, new Tensor[] {seed}, false);
        Tensor[] b = Autograd.grad(new Tensor[] {composed}, new Tensor[] {logits, bias}, new Tensor[] {seed}, false);
        assertArrayEquals(b[0].toDoubleArray(), a[0].toDoubleArray(), 1e-14);
        assertArrayEquals(b[1].toDoubleArray(), a[1].toDoubleArray(), 1e-13);
    }

    @Test
    void noGraphWithoutInputsRequiringGrad() {
        Tensor y = Functional.softmaxWithBias(randn(2, 1, 2, 2), randn(1, 1, 2, 2), null);
        assertNull(y.gradFn());
    }

    @Test
    void refusesAMaskThatRequiresGrad() {
        Tensor m = mask(1, 2).requiresGrad_(true);
        String msg = assertThrows(IllegalArgumentException.class,
                () -> Functional.softmaxWithBias(randn(2, 1, 2, 2), randn(1, 1, 2, 2), m)).getMessage();
        assertTrue(msg.contains("softmax_with_bias") && msg.contains("mask") && msg.contains("requires grad"), msg);
    }
}
