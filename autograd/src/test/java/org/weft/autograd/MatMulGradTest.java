package org.weft.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** Gradients of the matrix products against closed forms, to second order. */
class MatMulGradTest {

    private static final double[] A = {1, 2, 0, -1, 3, 1, 2, 0, 4}; // 3x3, not symmetric

    @Test
    void quadraticFormHasGradientAPlusATransposedXAndHessianAPlusATransposed() {
        Tensor a = Tensor.of(A, 3, 3);
        Tensor x = Tensor.of(new double[] {1, -2, 0.5}, 3).requiresGrad_(true);
        Tensor f = x.matmul(a.matmul(x)); // x^T A x, a 0-d dot product
        Tensor g = Autograd.grad(new Tensor[] {f}, new Tensor[] {x}, new Tensor[] {Tensor.scalar(1, f.dtype())}, true)[0];
        double[] s = symmetrised();
        double[] xv = {1, -2, 0.5};
        double[] expected = new double[3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                expected[i] += s[i * 3 + j] * xv[j];
            }
        }
        assertArrayEquals(expected, g.toDoubleArray(), 1e-12);
        // Row i of the Hessian is the gradient of g_i.
        for (int i = 0; i < 3; i++) {
            double[] onehot = new double[3];
            onehot[i] = 1;
            Tensor h = Autograd.grad(new Tensor[] {g}, new Tensor[] {x}, new Tensor[] {Tensor.of(onehot, 3)}, false,
                    true, false)[0];
            assertArrayEquals(new double[] {s[i * 3], s[i * 3 + 1], s[i * 3 + 2]}, h.toDoubleArray(), 1e-12);
        }
    }

    @Test
    void linearGradientsAreTheClosedForms() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad_(true);
        Tensor w = Tensor.of(new double[] {1, 0, -1, 2, 1, 0}, 2, 3).requiresGrad_(true);
        Tensor b = Tensor.of(new double[] {0.5, -0.5}, 2).requiresGrad_(true);
        x.linear(w, b).sum().backward();
        assertArrayEquals(new double[] {3, 1, -1, 3, 1, -1}, x.grad().toDoubleArray()); // column sums of W
        assertArrayEquals(new double[] {5, 7, 9, 5, 7, 9}, w.grad().toDoubleArray()); // column sums of x
        assertArrayEquals(new double[] {2, 2}, b.grad().toDoubleArray()); // rows of x
    }

    @Test
    void secondDerivativesOfMatmulAndLinearPassGradgradcheck() {
        Tensor a = Tensor.of(new double[] {0.3, -1.2, 0.8, 2.0, -0.4, 1.1}, 2, 3).requiresGrad_(true);
        Tensor b = Tensor.of(new double[] {1.5, -0.7, 0.2, 0.9, -1.3, 0.4}, 3, 2).requiresGrad_(true);
        GradCheck.gradgradcheck(in -> new Tensor[] {in[0].matmul(in[1])}, 3, a, b);
        Tensor bias = Tensor.of(new double[] {0.1, -0.2}, 2).requiresGrad_(true);
        GradCheck.gradgradcheck(in -> new Tensor[] {in[0].linear(in[1].t(), in[2])}, 5, a, b, bias);
        GradCheck.gradgradcheck(in -> new Tensor[] {in[0].pairwiseSquaredDistances(in[1].t())}, 7, a, b);
    }

    private static double[] symmetrised() {
        double[] s = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                s[i * 3 + j] = A[i * 3 + j] + A[j * 3 + i];
            }
        }
        return s;
    }
}
