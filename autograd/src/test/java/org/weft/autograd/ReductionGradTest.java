package org.weft.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.weft.tensor.DType;

/** Gradients of the reductions where they choose among equal values, against PyTorch's rules. */
class ReductionGradTest {

    @Test
    void valuesCarryGradientsAndIndicesDoNot() {
        Tensor x = Tensor.of(new double[] {1, 4, 2, 0}, 2, 2).requiresGrad_(true);
        ValuesIndices m = x.max(1, false);
        assertTrue(m.values().requiresGrad());
        assertFalse(m.indices().requiresGrad());
        assertEquals(DType.I64, m.indices().dtype());
        ValuesIndices s = x.sort(0, true);
        assertFalse(s.indices().requiresGrad());
    }

    @Test
    void maxAlongADimSendsTheGradientToTheFirstOfEqualValues() {
        Tensor x = Tensor.of(new double[] {1, 3, 3}, 1, 3).requiresGrad_(true);
        x.max(1, false).values().sum().backward();
        assertArrayEquals(new double[] {0, 1, 0}, x.grad().toDoubleArray());
    }

    @Test
    void maxOfEverythingAndAmaxSplitTheGradientAmongEqualValues() {
        Tensor x = Tensor.of(new double[] {1, 3, 3}, 3).requiresGrad_(true);
        x.max().backward();
        assertArrayEquals(new double[] {0, 0.5, 0.5}, x.grad().toDoubleArray());
        Tensor y = Tensor.of(new double[] {2, 2, 2, 1}, 2, 2).requiresGrad_(true);
        y.amin(new int[] {0, 1}, false).backward();
        assertArrayEquals(new double[] {0, 0, 0, 1}, y.grad().toDoubleArray());
    }

    @Test
    void topkGradientGoesBackToTheChosenPositions() {
        Tensor x = Tensor.of(new double[] {5, 1, 4, 2}, 4).requiresGrad_(true);
        ValuesIndices t = x.topk(2);
        assertArrayEquals(new long[] {0, 2}, t.indices().toLongArray());
        t.values().mul(Tensor.of(new double[] {10, 20}, 2)).sum().backward();
        assertArrayEquals(new double[] {10, 0, 20, 0}, x.grad().toDoubleArray());
    }

    /**
     * PyTorch's max() and min() of everything send the gradient to the NaNs that make the
     * result NaN (evenly_distribute_backward), while amax over dims, whose rule compares
     * values, gives NaN everywhere.
     */
    @Test
    void maxOfEverythingSendsTheGradientToTheNaNs() {
        Tensor x = Tensor.of(new double[] {1, Double.NaN, 3, Double.NaN}, 4).requiresGrad_(true);
        x.max().backward();
        assertArrayEquals(new double[] {0, 0.5, 0, 0.5}, x.grad().toDoubleArray());
        Tensor y = Tensor.of(new double[] {1, Double.NaN}, 2).requiresGrad_(true);
        y.min().backward();
        assertArrayEquals(new double[] {0, 1}, y.grad().toDoubleArray());
        Tensor z = Tensor.of(new double[] {1, Double.NaN}, 2).requiresGrad_(true);
        z.amax(new int[] {0}, false).backward();
        assertArrayEquals(new double[] {Double.NaN, Double.NaN}, z.grad().toDoubleArray());
    }
}
