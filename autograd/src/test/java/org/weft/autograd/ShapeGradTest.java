package org.weft.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;

/**
 * Gradients of the shape and indexing ops where the PyTorch goldens cannot reach: checked
 * against finite differences (first and second order) and closed forms.
 */
class ShapeGradTest {

    private static Tensor leaf(double[] values, int... shape) {
        return Tensor.of(values, shape).requiresGrad_(true);
    }

    private static Tensor sq(Tensor t) {
        return t.mul(t);
    }

    private static double[] ramp(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 0.5 + 0.25 * i * (i % 3 == 0 ? -1 : 1);
        }
        return v;
    }

    @Test
    void scatterAddWithAnIndexSmallerThanSrcGivesZeroGradientToTheUnusedSrc() {
        // PyTorch's autograd refuses this case; the unused src elements simply get zero.
        Tensor x = leaf(ramp(12), 3, 4);
        Tensor src = leaf(ramp(15), 3, 5);
        Tensor index = Tensor.of(new long[] {0, 1, 3, 3, 2, 0}, 3, 2);
        Tensor y = x.scatterAdd(1, index, src);
        y.backward(Tensor.of(NDArray.ones(DType.F64, 3, 4)));
        assertArrayEquals(new double[] {1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0}, src.grad().toDoubleArray());
        GradCheck.gradcheck(in -> new Tensor[] {in[0].scatterAdd(1, index, in[1])}, x, src);
        GradCheck.gradgradcheck(in -> new Tensor[] {in[0].scatterAdd(1, index, in[1]).mul(in[1].sum())}, 3, x, src);
    }

    @Test
    void gradientsOfGradientsPassThroughGatherAndIndexSelect() {
        Tensor x = leaf(ramp(12), 3, 4);
        Tensor gi = Tensor.of(new long[] {3, 3, 0, 1, 2, 2}, 3, 2);
        Tensor si = Tensor.of(new long[] {2, 0, 2}, 3);
        // Products make the second derivatives nonzero: the backward's own graph is exercised.
        GradCheck.gradgradcheck(in -> new Tensor[] {in[0].gather(1, gi).mul(in[0].gather(1, gi))}, 5, x);
        GradCheck.gradgradcheck(in -> new Tensor[] {in[0].indexSelect(0, si).mul(in[0].indexSelect(0, si))}, 6, x);
        GradCheck.gradgradcheck(in -> new Tensor[] {sq(in[0].maskedFill(
                Tensor.of(NDArray.of(new boolean[] {true, false, false, true}, 4)), 2))}, 7, x);
    }

    @Test
    void theMovementOpsPassFiniteDifferencesToSecondOrder() {
        Tensor x = leaf(ramp(12), 3, 4);
        Tensor y = leaf(ramp(8), 2, 4);
        GradCheck.gradgradcheck(in -> new Tensor[] {sq(Tensor.cat(List.of(in[0], in[1], in[0]), 0))}, 1, x, y);
        GradCheck.gradgradcheck(in -> sq(in[0]).split(new int[] {1, 3}, 1), 2, x);
        GradCheck.gradgradcheck(in -> new Tensor[] {sq(in[0].pad(new int[] {1, -2, -1, 2}))}, 3, x);
        GradCheck.gradgradcheck(in -> new Tensor[] {sq(in[0].roll(new int[] {1, -1}, new int[] {0, 1}))}, 4, x);
        GradCheck.gradgradcheck(in -> new Tensor[] {sq(in[0].flip(0, 1))}, 5, x);
        GradCheck.gradgradcheck(in -> new Tensor[] {sq(in[0].repeat(2, 1, 2))}, 6, x);
    }

    @Test
    void anIndexChangedInPlaceBeforeBackwardIsCaught() {
        Tensor x = leaf(ramp(6), 2, 3);
        Tensor index = Tensor.of(new long[] {0, 2}, 2, 1);
        Tensor y = x.gather(1, index).sum();
        index.data().fill_(1);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("modified by an inplace operation"), e.getMessage());
    }

    @Test
    void splitPiecesAreViewsAndUnusedPiecesGetZeroGradient() {
        Tensor x = leaf(ramp(10), 5, 2);
        Tensor[] pieces = x.chunk(2, 0); // 3 rows and 2 rows
        assertEquals(2, pieces.length);
        pieces[1].sum().backward();
        assertArrayEquals(new double[] {0, 0, 0, 0, 0, 0, 1, 1, 1, 1}, x.grad().toDoubleArray());
    }

    @Test
    void catOfOnlyOneDimensionalEmptyTensorsIsEmptyWithEmptyGradients() {
        Tensor a = Tensor.of(NDArray.zeros(DType.F64, 0)).requiresGrad_(true);
        Tensor y = Tensor.cat(List.of(a, a), 1);
        assertArrayEquals(new int[] {0}, y.dims());
        Tensor[] g = Autograd.grad(new Tensor[] {y}, new Tensor[] {a}, new Tensor[] {y.zerosLike()}, false);
        assertArrayEquals(new int[] {0}, g[0].dims());
    }

    @Test
    void oneHotIsAnIntegerTensorOutsideTheGraph() {
        Tensor h = Tensor.of(new long[] {2, 0}, 2).oneHot(-1);
        assertEquals(DType.I64, h.dtype());
        assertArrayEquals(new long[] {0, 0, 1, 1, 0, 0}, h.toLongArray());
        assertFalse(h.requiresGrad());
    }
}
