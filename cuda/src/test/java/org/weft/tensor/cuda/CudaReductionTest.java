package org.weft.tensor.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weft.tensor.cuda.FakeGpu.assertPointer;
import static org.weft.tensor.cuda.FakeGpu.desc;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;

/** CudaReduction's launches, checked against native/ABI.md (RecordingLauncher) without a GPU. */
class CudaReductionTest {

    private final FakeGpu gpu = new FakeGpu();

    @Test
    void adjacentReducedDimsOfAContiguousArrayAreTheMiddleAxisWithoutACopy() {
        NDArray x = gpu.array(DType.F32, 3, 4, 5, 6);
        NDArray out = gpu.array(DType.F32, 3, 1, 1, 6);
        gpu.reduction.sum(x, new int[] {1, 2}, out);
        Launch l = gpu.launcher.only();
        assertEquals("weft_reduce_sum_f32", l.kernel());
        assertEquals(List.of(3L, 20L, 6L), l.args().subList(0, 3), "[outer, r, inner]");
        assertPointer(x, l.args().get(3));
        assertPointer(out, l.args().get(4));
        assertEquals(Dim3.of(1), l.grid(), "inner > 1: ceil(outer * inner / 256) blocks");
        assertEquals(Dim3.of(256), l.block());
    }

    @Test
    void aReductionOverTheLastDimIsABlockPerRow() {
        NDArray x = gpu.array(DType.F64, 70000, 3);
        gpu.reduction.mean(x, new int[] {1}, gpu.array(DType.F64, 70000, 1));
        Launch l = gpu.launcher.only();
        assertEquals("weft_reduce_mean_f64", l.kernel());
        assertEquals(List.of(70000L, 3L, 1L), l.args().subList(0, 3));
        assertEquals(Dim3.of(65535), l.grid(), "inner == 1: min(outer, 65535) blocks");
    }

    @Test
    void nonAdjacentReducedDimsArePermutedLastIntoAReleasedScratchCopy() {
        NDArray x = gpu.array(DType.F32, 3, 4, 5);
        NDArray out = gpu.array(DType.F32, 1, 4, 1);
        long held = gpu.allocatedBytes();
        gpu.reduction.sum(x, new int[] {0, 2}, out);
        assertEquals(List.of("weft_copy_b4", "weft_reduce_sum_f32"), gpu.launcher.names());
        Launch copy = gpu.launcher.get(0);
        FakeGpu.Desc src = desc(copy.args().get(2));
        // x permuted to (1, 0, 2): shape [4, 3, 5], strides (5, 20, 1); dims 1 and 2 do not merge.
        assertEquals(List.of(4L, 3L, 5L), List.of(src.sizes()[0], src.sizes()[1], src.sizes()[2]));
        assertEquals(List.of(5L, 20L, 1L), List.of(src.strides()[0], src.strides()[1], src.strides()[2]));
        Launch reduce = gpu.launcher.get(1);
        assertEquals(List.of(4L, 15L, 1L), reduce.args().subList(0, 3));
        assertEquals(copy.args().get(3), reduce.args().get(3), "the kernel reads the permuted copy");
        assertEquals(held, gpu.allocatedBytes());
    }

    @Test
    void aStridedInputIsCopiedContiguousFirst() {
        NDArray x = gpu.array(DType.F32, 6, 8).t(); // [8, 6], strides (1, 8)
        gpu.reduction.amax(x, new int[] {1}, true, gpu.array(DType.F32, 8, 1));
        assertEquals(List.of("weft_copy_b4", "weft_reduce_extreme_f32"), gpu.launcher.names());
        assertEquals(List.of(8L, 6L, 1L), gpu.launcher.get(1).args().subList(0, 3));
        assertEquals(1, gpu.launcher.get(1).args().get(5), "largest = 1");
    }

    @Test
    void sizeOneDimsDoNotSplitTheReducedRun() {
        NDArray x = gpu.array(DType.F32, 2, 3, 1, 4);
        gpu.reduction.sum(x, new int[] {1, 3}, gpu.array(DType.F32, 2, 1, 1, 1));
        Launch l = gpu.launcher.only();
        assertEquals(List.of(2L, 12L, 1L), l.args().subList(0, 3));
    }

    @Test
    void integerSumsWriteI64AndMasksAreConvertedFirst() {
        gpu.reduction.sum(gpu.array(DType.I32, 5, 7), new int[] {1}, gpu.array(DType.I64, 5, 1));
        gpu.reduction.sum(gpu.array(DType.I64, 5, 7), new int[] {0}, gpu.array(DType.I64, 1, 7));
        assertEquals(List.of("weft_reduce_sum_i32", "weft_reduce_sum_i64"), gpu.launcher.names());
        gpu.launcher.clear();
        gpu.reduction.sum(gpu.array(DType.BOOL, 5, 7), new int[] {0, 1}, gpu.array(DType.I64, 1, 1));
        assertEquals(List.of("weft_convert_bool_i64", "weft_reduce_sum_i64"), gpu.launcher.names());
        assertEquals(List.of(1L, 35L, 1L), gpu.launcher.get(1).args().subList(0, 3));
    }

    @Test
    void varNormAndLogsumexpPassTheirScalars() {
        NDArray x = gpu.array(DType.F32, 4, 9);
        gpu.reduction.var(x, new int[] {1}, 1.0, true, gpu.array(DType.F32, 4, 1));
        gpu.reduction.norm(x, new int[] {1}, 3.0, gpu.array(DType.F32, 4, 1));
        gpu.reduction.logsumexp(x, new int[] {0}, gpu.array(DType.F32, 1, 9));
        assertEquals(List.of("weft_reduce_var_f32", "weft_reduce_norm_f32", "weft_reduce_logsumexp_f32"),
                gpu.launcher.names());
        assertEquals(List.of(1.0, 1), gpu.launcher.get(0).args().subList(5, 7), "correction, take_sqrt");
        assertEquals(3.0, gpu.launcher.get(1).args().get(5));
        assertEquals(List.of(1L, 4L, 9L), gpu.launcher.get(2).args().subList(0, 3));
    }

    @Test
    void maxAlongADimWritesValuesAndIndicesOrNullValues() {
        NDArray x = gpu.array(DType.F32, 3, 5, 2);
        NDArray values = gpu.array(DType.F32, 3, 1, 2);
        NDArray indices = gpu.array(DType.I64, 3, 1, 2);
        gpu.reduction.maxAlongDim(x, 1, false, values, indices);
        Launch l = gpu.launcher.only();
        assertEquals("weft_reduce_arg_extreme_f32", l.kernel());
        assertEquals(List.of(3L, 5L, 2L), l.args().subList(0, 3));
        assertPointer(values, l.args().get(4));
        assertPointer(indices, l.args().get(5));
        assertEquals(0, l.args().get(6));
        gpu.launcher.clear();
        gpu.reduction.maxAlongDim(x, 1, true, null, indices);
        assertEquals(new DevicePointer(0), gpu.launcher.only().args().get(4), "argmax: values null");
    }

    @Test
    void u8ExtremesRunInI32AndConvertBack() {
        NDArray out = gpu.array(DType.U8, 1, 4);
        gpu.reduction.amax(gpu.array(DType.U8, 3, 4), new int[] {0}, true, out);
        assertEquals(List.of("weft_convert_u8_i32", "weft_reduce_extreme_i32", "weft_convert_i32_u8"),
                gpu.launcher.names());
        assertPointer(out, gpu.launcher.get(2).args().get(3));
    }

    @Test
    void anEmptyOutputLaunchesNothingButAnEmptyReductionStillWrites() {
        gpu.reduction.sum(gpu.array(DType.F32, 0, 3), new int[] {1}, gpu.array(DType.F32, 0, 1));
        assertEquals(0, gpu.launcher.launches.size());
        gpu.reduction.mean(gpu.array(DType.F32, 0, 3), new int[] {0}, gpu.array(DType.F32, 1, 3));
        assertEquals(List.of(1L, 0L, 3L), gpu.launcher.only().args().subList(0, 3), "mean of nothing: NaN, written");
    }

    @Test
    void cumsumAndSortHaveNoKernelsYetAndSaySo() {
        NDArray x = gpu.array(DType.F32, 3);
        UnsupportedOperationException c = assertThrows(UnsupportedOperationException.class,
                () -> gpu.reduction.cumsum(x, 0, false, gpu.array(DType.F32, 3)));
        assertTrue(c.getMessage().startsWith("not yet implemented on CUDA: reduction.cumsum"), c.getMessage());
        UnsupportedOperationException s = assertThrows(UnsupportedOperationException.class,
                () -> gpu.reduction.sort(x, 0, false, gpu.array(DType.F32, 3), gpu.array(DType.I64, 3)));
        assertTrue(s.getMessage().startsWith("not yet implemented on CUDA: reduction.sort"), s.getMessage());
    }
}
