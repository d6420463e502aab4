package org.weft.tensor.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weft.tensor.cuda.FakeGpu.assertPointer;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;

/** CudaNorm's launches, checked against native/ABI.md (RecordingLauncher) without a GPU. */
class CudaNormTest {

    private final FakeGpu gpu = new FakeGpu();

    @Test
    void softmaxIsAClassRLaunchOverOuterNInner() {
        NDArray x = gpu.array(DType.F32, 4, 10, 1);
        NDArray out = gpu.array(DType.F32, 4, 10, 1);
        gpu.norm.softmax(x, true, out);
        Launch l = gpu.launcher.only();
        assertEquals("weft_softmax_forward_f32", l.kernel());
        assertEquals(List.of(4L, 10L, 1L), l.args().subList(0, 3));
        assertPointer(x, l.args().get(3));
        assertPointer(out, l.args().get(4));
        assertEquals(1, l.args().get(5), "log");
        assertEquals(Dim3.of(4), l.grid(), "inner == 1: a block per row");
        gpu.launcher.clear();
        gpu.norm.softmax(gpu.array(DType.F64, 2, 3, 1000), false, gpu.array(DType.F64, 2, 3, 1000));
        assertEquals(Dim3.of(8), gpu.launcher.only().grid(), "inner > 1: ceil(2 * 1000 / 256)");
    }

    @Test
    void aStridedInputIsCopiedAndAStridedOutputWrittenBack() {
        NDArray x = gpu.array(DType.F32, 10, 4).t().unsqueeze(2); // [4, 10, 1], strides (1, 4, ...)
        NDArray out = gpu.array(DType.F32, 10, 4).t().unsqueeze(2);
        long held = gpu.allocatedBytes();
        gpu.norm.softmax(x, false, out);
        assertEquals(List.of("weft_copy_b4", "weft_softmax_forward_f32", "weft_copy_b4"), gpu.launcher.names());
        assertEquals(gpu.launcher.get(0).args().get(3), gpu.launcher.get(1).args().get(3));
        assertEquals(gpu.launcher.get(1).args().get(4), gpu.launcher.get(2).args().get(1));
        assertPointer(out, gpu.launcher.get(2).args().get(3));
        assertEquals(held, gpu.allocatedBytes());
    }

    @Test
    void batchNormForwardLaunchesMomentsPerChannelAndApplyPerElement() {
        NDArray x = gpu.array(DType.F32, 8, 3, 49);
        NDArray mean = gpu.array(DType.F32, 3);
        NDArray var = gpu.array(DType.F32, 3);
        gpu.norm.channelMoments(x, mean, var);
        NDArray out = gpu.array(DType.F32, 8, 3, 49);
        gpu.norm.batchNormApply(x, mean, var, null, gpu.array(DType.F32, 3), out);
        assertEquals(List.of("weft_batchnorm_moments_f32", "weft_batchnorm_apply_f32"), gpu.launcher.names());
        Launch moments = gpu.launcher.get(0);
        assertEquals(List.of(8L, 3L, 49L), moments.args().subList(0, 3));
        assertEquals(Dim3.of(3), moments.grid(), "class B: a block per channel");
        Launch apply = gpu.launcher.get(1);
        assertEquals(new DevicePointer(0), apply.args().get(6), "no weight: null");
        assertPointer(out, apply.args().get(8));
        assertEquals(Dim3.of((8 * 3 * 49 + 255) / 256), apply.grid());
    }

    @Test
    void batchNormBackwardReducesOnlyWhenSomethingNeedsTheSums() {
        NDArray g = gpu.array(DType.F32, 2, 5, 7);
        NDArray x = gpu.array(DType.F32, 2, 5, 7);
        NDArray m = gpu.array(DType.F32, 5);
        NDArray is = gpu.array(DType.F32, 5);
        NDArray gi = gpu.array(DType.F32, 2, 5, 7);
        long held = gpu.allocatedBytes();
        gpu.norm.batchNormBackward(g, x, m, is, null, true, gi, null, null);
        assertEquals(List.of("weft_batchnorm_backward_reduce_f32", "weft_batchnorm_backward_input_f32"),
                gpu.launcher.names());
        Launch reduce = gpu.launcher.get(0);
        Launch input = gpu.launcher.get(1);
        assertEquals(reduce.args().get(7), input.args().get(8), "sum_grad flows from reduce to input");
        assertEquals(reduce.args().get(8), input.args().get(9), "sum_grad_xhat too");
        assertEquals(1, input.args().get(10), "training");
        assertEquals(held, gpu.allocatedBytes(), "the sums' scratch arrays were released");
        gpu.launcher.clear();
        gpu.norm.batchNormBackward(g, x, m, is, gpu.array(DType.F32, 5), false, gi, null, null);
        assertEquals(List.of("weft_batchnorm_backward_input_f32"), gpu.launcher.names(), "eval: constants");
        assertEquals(new DevicePointer(0), gpu.launcher.only().args().get(8));
    }

    @Test
    void layerNormForwardAndBothBackwardKernels() {
        NDArray x = gpu.array(DType.F64, 6, 33);
        NDArray w = gpu.array(DType.F64, 33);
        NDArray mean = gpu.array(DType.F64, 6);
        NDArray invstd = gpu.array(DType.F64, 6);
        gpu.norm.layerNorm(x, w, null, 1e-5, gpu.array(DType.F64, 6, 33), mean, invstd);
        Launch f = gpu.launcher.only();
        assertEquals("weft_layernorm_forward_f64", f.kernel());
        assertEquals(List.of(6L, 33L), f.args().subList(0, 2));
        assertEquals(1e-5, f.args().get(5));
        assertEquals(Dim3.of(6), f.grid());
        gpu.launcher.clear();
        gpu.norm.layerNormBackward(gpu.array(DType.F64, 6, 33), x, mean, invstd, w, gpu.array(DType.F64, 6, 33),
                gpu.array(DType.F64, 33), null);
        assertEquals(List.of("weft_layernorm_backward_input_f64", "weft_layernorm_backward_params_f64"),
                gpu.launcher.names());
        assertEquals(Dim3.of(1), gpu.launcher.get(1).grid(), "params: a thread per column (class E over K)");
        assertEquals(new DevicePointer(0), gpu.launcher.get(1).args().get(7), "no bias gradient wanted");
    }

    @Test
    void theLossesAreNotWiredAndSaySo() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> gpu.norm
                .crossEntropy(gpu.array(DType.F32, 2, 3, 1), gpu.array(DType.I64, 2, 1), null, -100, 0,
                        gpu.array(DType.F32, 2, 1)));
        assertTrue(e.getMessage().startsWith("not yet implemented on CUDA: norm.crossEntropy"), e.getMessage());
    }
}
