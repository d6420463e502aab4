package org.weft.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import org.weft.tensor.DType;

class SmokeTest {
    @Test
    void chainRuleThroughBroadcastMulAndSum() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad_(true);
        Tensor w = Tensor.of(new double[] {10, 20, 30}, 3).requiresGrad_(true);
        Tensor y = x.mul(w).sum();
        y.backward();
        assertArrayEquals(new double[] {10, 20, 30, 10, 20, 30}, x.grad().toDoubleArray());
        assertArrayEquals(new double[] {5, 7, 9}, w.grad().toDoubleArray());
        System.out.println(y + " " + x.grad());
    }

    @Test
    void gradcheckOnComposite() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad_(true);
        Tensor w = Tensor.of(new double[] {0.5, -2, 3}, 3).requiresGrad_(true);
        GradCheck.gradcheckSingle(in -> in[0].mul(in[1]).div(in[1].add(10)).transpose(0, 1).slice(0, 1, 3, 1).sum(new int[] {0}, false), x, w);
        GradCheck.gradgradcheck(in -> new Tensor[] {in[0].mul(in[1]).div(in[1].add(10)).sum()}, 1, x, w);
        assert x.dtype() == DType.F64;
    }
}
