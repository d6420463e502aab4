package org.weft.tensor.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weft.tensor.cuda.FakeGpu.address;
import static org.weft.tensor.cuda.FakeGpu.assertPointer;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;

/** CudaLinalg's launches, checked against native/ABI.md (RecordingLauncher) without a GPU. */
class CudaLinalgTest {

    private final FakeGpu gpu = new FakeGpu();

    @Test
    void anAlignedF32ProductUsesTheTensorCoreKernelWithItsLayoutAndGrid() {
        NDArray a = gpu.array(DType.F32, 300, 64);
        NDArray b = gpu.array(DType.F32, 64, 200);
        NDArray c = gpu.array(DType.F32, 300, 200);
        gpu.linalg.matmul(a, b, 1.0, 0.0, c);
        Launch l = gpu.launcher.only();
        assertEquals("weft_gemm_tf32x3_nn", l.kernel());
        assertEquals(List.of(300, 200, 64), l.args().subList(0, 3), "M, N, K");
        assertPointer(a, l.args().get(3));
        assertEquals(64L, l.args().get(4), "lda");
        assertPointer(b, l.args().get(6));
        assertEquals(200L, l.args().get(7), "ldb");
        assertPointer(c, l.args().get(9));
        assertEquals(200L, l.args().get(10), "ldc");
        assertEquals(new DevicePointer(0), l.args().get(12), "no bias");
        assertEquals(List.of(1.0f, 0.0f), l.args().subList(13, 15));
        assertEquals(new Dim3(2, 3, 1), l.grid(), "(ceil(N / 128), ceil(M / 128), batch)");
        assertEquals(Dim3.of(256), l.block());
    }

    @Test
    void aTransposedWeightIsTheNtLayout() {
        NDArray x = gpu.array(DType.F32, 32, 128);
        NDArray w = gpu.array(DType.F32, 96, 128); // Linear weight [out, in]
        gpu.linalg.matmul(x, w.t(), 1.0, 0.0, gpu.array(DType.F32, 32, 96));
        Launch l = gpu.launcher.only();
        assertEquals("weft_gemm_tf32x3_nt", l.kernel());
        assertEquals(128L, l.args().get(7), "ldb: B stored N x K");
    }

    @Test
    void misalignedOrOddlyStridedOperandsFallBackToTheNaiveKernel() {
        NDArray a = gpu.array(DType.F32, 9, 10).narrow(1, 1, 7); // offset 1 element: not 16-byte aligned
        NDArray b = gpu.array(DType.F32, 7, 5);
        NDArray c = gpu.array(DType.F32, 9, 5);
        gpu.linalg.matmul(a, b, 2.0, 0.5, c);
        Launch l = gpu.launcher.only();
        assertEquals("weft_gemm_naive_f32", l.kernel());
        assertEquals(List.of(9, 5, 7), l.args().subList(0, 3));
        assertPointer(a, l.args().get(3));
        assertEquals(List.of(10L, 1L, 0L), l.args().subList(4, 7), "a row stride, col stride, batch stride");
        assertEquals(List.of(5L, 1L, 0L), l.args().subList(8, 11));
        assertEquals(List.of(5L, 0L), l.args().subList(12, 14), "ldc, stride_c");
        assertEquals(List.of(2.0f, 0.5f), l.args().subList(15, 17));
        assertEquals(new Dim3(1, 1, 1), l.grid(), "(ceil(N / 16), ceil(M / 16), batch)");
        assertEquals(new Dim3(16, 16, 1), l.block());
    }

    @Test
    void f64UsesTheNaiveKernelWithDoubleScalars() {
        gpu.linalg.matmul(gpu.array(DType.F64, 4, 8), gpu.array(DType.F64, 8, 4), 1.0, 0.0, gpu.array(DType.F64, 4, 4));
        Launch l = gpu.launcher.only();
        assertEquals("weft_gemm_naive_f64", l.kernel());
        assertEquals(List.of(1.0, 0.0), l.args().subList(15, 17));
    }

    @Test
    void aBroadcastOperandHasBatchStrideZeroAndMergedBatchesAreOneLaunch() {
        NDArray a = gpu.array(DType.F32, 2, 3, 16, 8);
        NDArray b = gpu.array(DType.F32, 8, 12).expand(2, 3, 8, 12);
        NDArray c = gpu.array(DType.F32, 2, 3, 16, 12);
        gpu.linalg.matmul(a, b, 1.0, 0.0, c);
        Launch l = gpu.launcher.only();
        assertEquals(6, l.grid().z(), "batch dims [2, 3] merge into 6");
        assertEquals(128L, l.args().get(5), "stride_a = 16 * 8");
        assertEquals(0L, l.args().get(8), "stride_b = 0: broadcast");
        assertEquals(192L, l.args().get(11), "stride_c = 16 * 12");
    }

    @Test
    void batchDimsThatDoNotMergeAreWalkedOneLaunchEach() {
        NDArray base = gpu.array(DType.F32, 3, 2, 4, 4);
        NDArray a = base.transpose(0, 1); // [2, 3, 4, 4], batch strides (16, 32): do not merge
        NDArray b = gpu.array(DType.F32, 2, 3, 4, 4);
        NDArray c = gpu.array(DType.F32, 2, 3, 4, 4);
        gpu.linalg.matmul(a, b, 1.0, 0.0, c);
        assertEquals(2, gpu.launcher.launches.size());
        for (int i = 0; i < 2; i++) {
            Launch l = gpu.launcher.get(i);
            assertEquals(3, l.grid().z());
            assertEquals(address(a) + i * 16L * 4, ((DevicePointer) l.args().get(3)).address());
            assertEquals(address(c) + i * 48L * 4, ((DevicePointer) l.args().get(9)).address());
            assertEquals(32L, l.args().get(5), "stride_a of the inner batch dim");
        }
    }

    @Test
    void anEmptyInnerDimensionUsesTheNaiveKernelWhichScalesByBeta() {
        gpu.linalg.matmul(gpu.array(DType.F32, 4, 0), gpu.array(DType.F32, 0, 4), 1.0, 0.5, gpu.array(DType.F32, 4, 4));
        Launch l = gpu.launcher.only();
        assertEquals("weft_gemm_naive_f32", l.kernel(), "the tiled kernels need K >= 1");
        assertEquals(0, l.args().get(2));
    }

    @Test
    void theNaivePolicyNeverPicksTheTiledKernels() {
        CudaLinalg naive = new CudaLinalg(gpu.launcher, FakeGpu.DEVICE, CudaLinalg.F32Gemm.NAIVE);
        naive.matmul(gpu.array(DType.F32, 64, 64), gpu.array(DType.F32, 64, 64), 1.0, 0.0, gpu.array(DType.F32, 64, 64));
        assertEquals("weft_gemm_naive_f32", gpu.launcher.only().kernel());
    }

    @Test
    void otherDtypesAndPairwiseDistancesFailClearly() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> gpu.linalg
                .matmul(gpu.array(DType.I64, 2, 2), gpu.array(DType.I64, 2, 2), 1, 0, gpu.array(DType.I64, 2, 2)));
        assertTrue(e.getMessage().startsWith("not yet implemented on CUDA: linalg.matmul for I64"), e.getMessage());
        UnsupportedOperationException p = assertThrows(UnsupportedOperationException.class, () -> gpu.linalg
                .pairwiseSquaredDistances(gpu.array(DType.F32, 2, 3), gpu.array(DType.F32, 2, 3),
                        gpu.array(DType.F32, 2, 2)));
        assertTrue(p.getMessage().startsWith("not yet implemented on CUDA: linalg.pairwiseSquaredDistances"),
                p.getMessage());
    }
}
