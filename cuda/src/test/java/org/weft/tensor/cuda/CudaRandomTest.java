package org.weft.tensor.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weft.tensor.cuda.FakeGpu.assertPointer;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;

/** CudaRandom's launches, checked against native/ABI.md (RecordingLauncher) without a GPU. */
class CudaRandomTest {

    private final FakeGpu gpu = new FakeGpu();
    private final CudaRandom random = gpu.random;

    @Test
    void uniformPassesSeedOffsetAndRangeWithAThreadPerPhiloxBlock() {
        NDArray out = gpu.array(DType.F32, 1001);
        random.uniform(out, 42L, 7L, -1.0, 2.0);
        Launch l = gpu.launcher.only();
        assertEquals("weft_random_uniform_f32", l.kernel());
        assertEquals(List.of(1001L, 42L, 7L, -1.0, 2.0), l.args().subList(0, 5));
        assertPointer(out, l.args().get(5));
        assertEquals(Dim3.of(1), l.grid(), "ceil(1001 / 4) = 251 blocks of Philox: one thread block");
        gpu.launcher.clear();
        random.normal(gpu.array(DType.F64, 5000), -1L, 0L, 0.0, 1.0);
        assertEquals("weft_random_normal_f64", gpu.launcher.only().kernel());
        assertEquals(-1L, gpu.launcher.only().args().get(1), "a seed's 64 bits, read as unsigned by the kernel");
        assertEquals(Dim3.of(10), gpu.launcher.only().grid(), "ceil(5000 / 2) = 2500 threads");
    }

    @Test
    void randintHasAThreadPerElementAndAnUnsignedRange() {
        NDArray out = gpu.array(DType.I64, 3, 300).narrow(0, 1, 2);
        random.randint(out, 1L, 2L, Long.MIN_VALUE, -1L);
        Launch l = gpu.launcher.only();
        assertEquals("weft_random_randint_i64", l.kernel());
        assertEquals(List.of(600L, 1L, 2L, Long.MIN_VALUE, -1L), l.args().subList(0, 5));
        assertPointer(out, l.args().get(5));
        assertEquals(Dim3.of(3), l.grid());
    }

    @Test
    void bernoulliReadsProbabilitiesOrOneScalar() {
        NDArray probs = gpu.array(DType.F64, 9);
        NDArray out = gpu.array(DType.F32, 9);
        random.bernoulli(probs, out, 3L, 4L);
        random.bernoulli(0.25, out, 3L, 4L);
        assertPointer(probs, gpu.launcher.get(0).args().get(3));
        assertEquals(new DevicePointer(0), gpu.launcher.get(1).args().get(3));
        assertEquals(0.25, gpu.launcher.get(1).args().get(4));
        assertEquals("weft_random_bernoulli_f32", gpu.launcher.get(1).kernel());
    }

    @Test
    void otherDtypesAndEmptyOutputs() {
        random.uniform(gpu.array(DType.F32, 0), 1, 0, 0, 1);
        assertEquals(0, gpu.launcher.launches.size());
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> random.uniform(gpu.array(DType.BF16, 4), 1, 0, 0, 1));
        assertTrue(e.getMessage().startsWith("not yet implemented on CUDA: random.uniform for BF16"), e.getMessage());
    }
}
