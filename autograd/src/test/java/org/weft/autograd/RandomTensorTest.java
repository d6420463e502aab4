package org.weft.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;
import org.weft.tensor.random.Generator;

/** The random tensor factories: constant leaves holding NDArray's random numbers. */
class RandomTensorTest {

    @Test
    void factoriesAreLeavesWithTheNDArrayNumbers() {
        Tensor r = Tensor.rand(DType.F64, new Generator(1), 3, 4);
        assertTrue(r.isLeaf());
        assertFalse(r.requiresGrad());
        assertArrayEquals(NDArray.rand(DType.F64, new Generator(1), 3, 4).toDoubleArray(), r.toDoubleArray());
        assertArrayEquals(NDArray.randn(DType.F32, new Generator(2), 5).toFloatArray(),
                Tensor.randn(DType.F32, new Generator(2), 5).toFloatArray());
        assertArrayEquals(NDArray.randint(0, 9, new Generator(3), 6).toLongArray(),
                Tensor.randint(0, 9, new Generator(3), 6).toLongArray());
        assertEquals(DType.I64, Tensor.randint(0, 9, 6).dtype());
    }

    @Test
    void bernoulliSamplesCarryNoGradient() {
        Tensor p = Tensor.of(new double[] {0, 1, 0.5}, 3).requiresGrad_(true);
        Tensor b = Tensor.bernoulli(p, new Generator(4));
        assertFalse(b.requiresGrad());
        assertNull(b.gradFn());
        assertEquals(0.0, b.toDoubleArray()[0]);
        assertEquals(1.0, b.toDoubleArray()[1]);
    }

    @Test
    void inPlaceFillOfAParameterNeedsGradModeOff() {
        Tensor w = Tensor.zeros(DType.F64, 3, 3).requiresGrad_(true);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.uniform_(-1, 1, null));
        assertTrue(e.getMessage().startsWith("uniform_: a tensor that requires grad cannot be overwritten"));
        try (var off = Grad.disabled()) {
            w.normal_(0, 0.02, new Generator(5));
        }
        assertArrayEquals(NDArray.zeros(DType.F64, 3, 3).normal_(0, 0.02, new Generator(5)).toDoubleArray(),
                w.toDoubleArray());
    }
}
