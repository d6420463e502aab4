package org.weft.tensor.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weft.tensor.cuda.FakeGpu.assertPointer;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;
import org.weft.tensor.backend.Conv2dParams;
import org.weft.tensor.backend.PoolWindow;

/** CudaConv's launches, checked against native/ABI.md (RecordingLauncher) without a GPU. */
class CudaConvTest {

    private final FakeGpu gpu = new FakeGpu();
    private final Conv2dParams p = new Conv2dParams(2, 1, 1, 0, 1, 2, 1);

    @Test
    void wideF32ConvolutionsUseTheImplicitGemmAndNarrowOnesTheNaiveKernel() {
        NDArray x = gpu.array(DType.F32, 2, 3, 9, 11);
        NDArray w = gpu.array(DType.F32, 32, 3, 3, 3);
        NDArray out = gpu.array(DType.F32, 2, 32, 5, 7);
        gpu.conv.conv2d(x, w, null, p, out);
        Launch l = gpu.launcher.only();
        assertEquals("weft_conv2d_implicit_tf32x3", l.kernel());
        assertEquals(List.of(2, 3, 9, 11, 32, 5, 7, 3, 3, 2, 1, 1, 0, 1, 2, 1), l.args().subList(0, 16),
                "N C H W O OH OW KH KW sh sw ph pw dh dw groups");
        assertPointer(x, l.args().get(16));
        assertEquals(new DevicePointer(0), l.args().get(18), "no bias");
        assertEquals(new Dim3(1, 1, 1), l.grid(), "(ceil(N*OH*OW / 128), ceil(O/groups / 128), groups)");
        gpu.launcher.clear();
        gpu.conv.conv2d(x, gpu.array(DType.F32, 8, 3, 3, 3), gpu.array(DType.F32, 8), p, gpu.array(DType.F32, 2, 8, 5, 7));
        assertEquals("weft_conv2d_naive_f32", gpu.launcher.only().kernel(), "8 output channels: below 16");
        assertEquals(Dim3.of((2 * 8 * 5 * 7 + 255) / 256), gpu.launcher.only().grid());
    }

    @Test
    void aChannelsLastInputIsCopiedContiguousFirst() {
        NDArray x = gpu.array(DType.F64, 2, 9, 11, 3).permute(0, 3, 1, 2);
        gpu.conv.conv2d(x, gpu.array(DType.F64, 4, 3, 3, 3), null, p, gpu.array(DType.F64, 2, 4, 5, 7));
        assertEquals(List.of("weft_copy_b8", "weft_conv2d_naive_f64"), gpu.launcher.names());
        assertEquals(gpu.launcher.get(0).args().get(3), gpu.launcher.get(1).args().get(16));
    }

    @Test
    void backwardPassesUseTheDirectKernels() {
        NDArray gradOut = gpu.array(DType.F32, 2, 4, 5, 7);
        NDArray w = gpu.array(DType.F32, 4, 3, 3, 3);
        NDArray gradIn = gpu.array(DType.F32, 2, 3, 9, 11);
        gpu.conv.conv2dBackwardInput(gradOut, w, p, gradIn);
        NDArray gradW = gpu.array(DType.F32, 4, 3, 3, 3);
        gpu.conv.conv2dBackwardWeight(gradOut, gpu.array(DType.F32, 2, 3, 9, 11), p, gradW);
        assertEquals(List.of("weft_conv2d_backward_input_f32", "weft_conv2d_backward_weight_f32"), gpu.launcher.names());
        assertEquals(List.of(2, 3, 9, 11, 4, 5, 7, 3, 3), gpu.launcher.get(0).args().subList(0, 9));
        assertPointer(gradIn, gpu.launcher.get(0).args().get(18));
        assertEquals(Dim3.of((2 * 3 * 9 * 11 + 255) / 256), gpu.launcher.get(0).grid(), "class E over N*C*H*W");
        assertEquals(Dim3.of(4 * 3 * 3 * 3), gpu.launcher.get(1).grid(), "class B: a block per weight element");
        assertPointer(gradW, gpu.launcher.get(1).args().get(18));
    }

    @Test
    void poolingPassesTheWindowAndPlanes() {
        PoolWindow win = new PoolWindow(3, 2, 2, 2, 1, 0, 1, 1);
        NDArray x = gpu.array(DType.F32, 2, 5, 8, 9);
        NDArray out = gpu.array(DType.F32, 2, 5, 4, 4);
        NDArray idx = gpu.array(DType.I64, 2, 5, 4, 4);
        gpu.conv.maxPool2d(x, win, out, idx);
        gpu.conv.avgPool2d(x, win, true, 0, out);
        gpu.conv.avgPool2dBackward(out, win, false, 5, x);
        assertEquals(List.of("weft_max_pool2d_forward_f32", "weft_avg_pool2d_forward_f32",
                "weft_avg_pool2d_backward_f32"), gpu.launcher.names());
        assertEquals(List.of(10L, 8, 9, 4, 4, 3, 2, 2, 2, 1, 0, 1, 1), gpu.launcher.get(0).args().subList(0, 13));
        assertPointer(idx, gpu.launcher.get(0).args().get(15));
        assertEquals(List.of(1, 0), gpu.launcher.get(1).args().subList(13, 15), "count_include_pad, divisor");
        assertEquals(List.of(0, 5), gpu.launcher.get(2).args().subList(13, 15));
        assertEquals(Dim3.of((10 * 8 * 9 + 255) / 256), gpu.launcher.get(2).grid(), "backward: n = planes*H*W");
    }

    @Test
    void adaptivePoolingToOneByOneIsAMeanPerPlaneAndOtherSizesFailClearly() {
        NDArray out = gpu.array(DType.F32, 2, 6, 1, 1);
        gpu.conv.adaptiveAvgPool2d(gpu.array(DType.F32, 2, 6, 7, 7), out);
        Launch l = gpu.launcher.only();
        assertEquals("weft_reduce_mean_f32", l.kernel());
        assertEquals(List.of(12L, 49L, 1L), l.args().subList(0, 3));
        assertPointer(out, l.args().get(4));
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> gpu.conv.adaptiveAvgPool2d(gpu.array(DType.F32, 1, 1, 4, 4), gpu.array(DType.F32, 1, 1, 2, 2)));
        assertTrue(e.getMessage().startsWith("not yet implemented on CUDA: conv.adaptiveAvgPool2d to 2 x 2"),
                e.getMessage());
        UnsupportedOperationException m = assertThrows(UnsupportedOperationException.class,
                () -> gpu.conv.maxPool2dBackward(out, gpu.array(DType.I64, 2, 6, 1, 1), gpu.array(DType.F32, 2, 6, 7, 7)));
        assertTrue(m.getMessage().startsWith("not yet implemented on CUDA: conv.maxPool2dBackward"), m.getMessage());
    }
}
