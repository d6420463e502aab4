package org.weft.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** The example of README.md, line for line, with the values its comments promise. */
class ReadmeExampleTest {

    @Test
    void theReadmeExampleDoesWhatItSays() {
        Tensor w = Tensor.of(new float[] {0.5f, -1f, 2f}, 3).requiresGrad_(true);
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);

        Tensor loss = x.mul(w).sum();
        loss.backward();
        assertArrayEquals(new float[] {5, 7, 9}, w.grad().toFloatArray());

        try (var g = Grad.disabled()) {
            w.sub_(w.grad().mul(0.1));
        }
        w.setGrad(null);
        assertArrayEquals(new float[] {0.5f - 0.5f, -1f - 0.7f, 2f - 0.9f}, w.toFloatArray(), 1e-6f);

        Tensor v = Tensor.of(new double[] {2}, 1).requiresGrad_(true);
        Tensor dy = Autograd.grad(new Tensor[] {v.mul(v).mul(v).sum()}, new Tensor[] {v}, null, true)[0];
        Tensor d2y = Autograd.grad(dy.sum(), v);
        assertArrayEquals(new double[] {12}, d2y.toDoubleArray(), 1e-12);

        Tensor y = new CustomFunctionTest.Cube().apply(v);
        assertArrayEquals(new double[] {8}, y.toDoubleArray());
    }
}
