package org.weft.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;
import org.weft.tensor.random.Generator;

/** {@code Functional.addRelu}: its values are relu(a + b)'s, its gradients pass finite differences. */
class AddReluTest {

    @Test
    void valuesAreTheRectifiedSumWithBroadcasting() {
        Tensor a = Tensor.of(new float[] {-2f, 1f, 0.5f, -0.25f, 3f, Float.NaN}, 2, 3);
        Tensor b = Tensor.of(new float[] {1f, -1f, 0.5f}, 3);
        float[] got = Functional.addRelu(a, b).data().toFloatArray();
        assertArrayEquals(new float[] {0f, 0f, 1f, 0.75f, 2f, Float.NaN}, got);
    }

    @Test
    void gradientsPassFiniteDifferences() {
        Generator g = new Generator(11);
        // Values kept away from the kink at 0, where finite differences are undefined.
        Tensor a = Tensor.randn(DType.F64, g, 3, 4, 5).requiresGrad_(true);
        Tensor b = Tensor.randn(DType.F64, g, 4, 1).requiresGrad_(true);
        NDArray sum = a.data().add(b.data());
        NDArray nudge = sum.abs().lt(NDArray.scalar(1e-3, DType.F64)).to(DType.F64).mul(NDArray.scalar(0.1, DType.F64));
        Tensor aAway = Tensor.of(a.data().add(nudge)).requiresGrad_(true);
        assertTrue(GradCheck.gradcheck(in -> new Tensor[] {Functional.addRelu(in[0], in[1])}, aAway, b));
        assertTrue(GradCheck.gradgradcheck(in -> new Tensor[] {Functional.addRelu(in[0], in[1])}, 13, aAway, b));
    }

    @Test
    void gradientsEqualThoseOfAddThenRelu() {
        Generator g = new Generator(12);
        Tensor a = Tensor.randn(DType.F32, g, 2, 3, 4, 4).requiresGrad_(true);
        Tensor b = Tensor.randn(DType.F32, g, 2, 3, 4, 4).requiresGrad_(true);
        Tensor upstream = Tensor.randn(DType.F32, g, 2, 3, 4, 4);
        Functional.addRelu(a, b).backward(upstream);
        NDArray fusedA = a.grad().data();
        NDArray fusedB = b.grad().data();
        a.setGrad(null);
        b.setGrad(null);
        a.add(b).relu().backward(upstream);
        assertArrayEquals(a.grad().data().toFloatArray(), fusedA.toFloatArray());
        assertArrayEquals(b.grad().data().toFloatArray(), fusedB.toFloatArray());
    }

    @Test
    void inPlaceReluOfAContiguousArrayWritesItselfAndBumpsTheVersion() {
        NDArray x = NDArray.of(new float[] {-1f, 2f, -0f, Float.NaN}, 4);
        int before = x.storage().version();
        NDArray same = x.relu_();
        assertTrue(same == x);
        assertEquals(before + 1, x.storage().version());
        float[] got = x.toFloatArray();
        assertEquals(0f, got[0]);
        assertEquals(2f, got[1]);
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(got[2]), "-0.0 passes, as in PyTorch");
        assertTrue(Float.isNaN(got[3]));
    }
}
