package org.weft.tensor.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weft.tensor.cuda.FakeGpu.assertPointer;
import static org.weft.tensor.cuda.FakeGpu.desc;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;
import org.weft.tensor.backend.BinaryOp;
import org.weft.tensor.backend.CompareOp;
import org.weft.tensor.backend.UnaryOp;

/** CudaElementwise's launches, checked against native/ABI.md (RecordingLauncher) without a GPU. */
class CudaElementwiseTest {

    private final FakeGpu gpu = new FakeGpu();

    @Test
    void everyUnaryOpOfEveryFloatDtypeNamesAnAbiKernel() {
        for (DType t : List.of(DType.F32, DType.F64, DType.BF16)) {
            for (UnaryOp op : UnaryOp.values()) {
                gpu.launcher.clear();
                NDArray x = gpu.array(t, 5, 3);
                NDArray out = gpu.array(t, 5, 3);
                gpu.elementwise.unary(op, x, out);
                Launch l = gpu.launcher.only();
                assertEquals("weft_unary_" + op.name().toLowerCase() + "_" + Operands.suffix(t), l.kernel());
                assertEquals(15L, l.args().get(0));
                assertPointer(x, l.args().get(1));
                assertPointer(out, l.args().get(3));
            }
        }
    }

    @Test
    void integerUnaryOpsUseTheIntegerKernelsAndRoundingIsACopy() {
        NDArray x = gpu.array(DType.I64, 4);
        gpu.elementwise.unary(UnaryOp.NEG, x, gpu.array(DType.I64, 4));
        gpu.elementwise.unary(UnaryOp.FLOOR, x, gpu.array(DType.I64, 4));
        gpu.elementwise.unary(UnaryOp.ABS, gpu.array(DType.I32, 4), gpu.array(DType.I32, 4));
        assertEquals(List.of("weft_unary_neg_i64", "weft_copy_b8", "weft_unary_abs_i32"), gpu.launcher.names());
    }

    @Test
    void u8OpsRunWidenedToI32AndConvertBack() {
        NDArray a = gpu.array(DType.U8, 6);
        NDArray b = gpu.array(DType.U8, 6);
        NDArray out = gpu.array(DType.U8, 6);
        long held = gpu.allocatedBytes();
        gpu.elementwise.binary(BinaryOp.ADD, a, b, out);
        assertEquals(List.of("weft_convert_u8_i32", "weft_convert_u8_i32", "weft_binary_add_i32",
                "weft_convert_i32_u8"), gpu.launcher.names());
        assertPointer(out, gpu.launcher.get(3).args().get(3));
        assertEquals(held, gpu.allocatedBytes(), "all three scratch arrays released");
    }

    @Test
    void aBroadcastBinaryDescribesBothInputsOverTheOutputShape() {
        NDArray a = gpu.array(DType.F32, 3, 1, 5).expand(3, 4, 5);
        NDArray b = gpu.array(DType.F32, 1, 4, 5).expand(3, 4, 5);
        NDArray out = gpu.array(DType.F32, 3, 4, 5);
        gpu.elementwise.binary(BinaryOp.MUL, a, b, out);
        Launch l = gpu.launcher.only();
        assertEquals("weft_binary_mul_f32", l.kernel());
        assertEquals(60L, l.args().get(0));
        FakeGpu.Desc da = desc(l.args().get(2));
        FakeGpu.Desc db = desc(l.args().get(4));
        assertArrayEquals(new long[] {3, 4, 5}, da.sizes(), "no two adjacent dims merge for both");
        assertArrayEquals(da.sizes(), db.sizes(), "all operands share the output's shape");
        assertArrayEquals(new long[] {5, 0, 1}, da.strides());
        assertArrayEquals(new long[] {0, 5, 1}, db.strides());
        assertPointer(out, l.args().get(5));
        assertEquals(Dim3.of(1), l.grid());
    }

    @Test
    void divExistsForFloatsOnlyAndOtherDtypesFailClearly() {
        gpu.elementwise.binary(BinaryOp.DIV, gpu.array(DType.F64, 2), gpu.array(DType.F64, 2), gpu.array(DType.F64, 2));
        assertEquals("weft_binary_div_f64", gpu.launcher.only().kernel());
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> gpu.elementwise
                .binary(BinaryOp.DIV, gpu.array(DType.I64, 2), gpu.array(DType.I64, 2), gpu.array(DType.I64, 2)));
        assertEquals("not yet implemented on CUDA: elementwise.binary(DIV) for I64 on cuda:0;"
                + " move the arrays to the CPU (toDevice(Device.CPU)) to run it there", e.getMessage());
    }

    @Test
    void everyBinaryAndCompareOpOfEveryKernelDtypeNamesAnAbiKernel() {
        for (DType t : List.of(DType.F32, DType.F64, DType.BF16, DType.I64, DType.I32, DType.U8, DType.BOOL)) {
            for (BinaryOp op : BinaryOp.values()) {
                boolean covered = op != BinaryOp.DIV || t.isFloatingPoint();
                if (covered) {
                    gpu.elementwise.binary(op, gpu.array(t, 3), gpu.array(t, 3), gpu.array(t, 3));
                }
            }
            for (CompareOp op : CompareOp.values()) {
                gpu.elementwise.compare(op, gpu.array(t, 3), gpu.array(t, 3), gpu.array(DType.BOOL, 3));
            }
        }
        assertTrue(gpu.launcher.launches.size() > 80);
    }

    @Test
    void compareWritesBoolAndComparesMasksAsI32() {
        NDArray out = gpu.array(DType.BOOL, 2, 3);
        gpu.elementwise.compare(CompareOp.LT, gpu.array(DType.I32, 2, 3), gpu.array(DType.I32, 2, 3), out);
        assertEquals("weft_compare_lt_i32", gpu.launcher.only().kernel());
        assertPointer(out, gpu.launcher.only().args().get(5));
        gpu.launcher.clear();
        gpu.elementwise.compare(CompareOp.EQ, gpu.array(DType.BOOL, 2, 3), gpu.array(DType.BOOL, 1, 3).expand(2, 3),
                out);
        assertEquals(List.of("weft_convert_bool_i32", "weft_convert_bool_i32", "weft_compare_eq_i32"),
                gpu.launcher.names());
    }

    @Test
    void whereMovesBitsByWidthWithThreeDescriptors() {
        NDArray cond = gpu.array(DType.BOOL, 4, 1).expand(4, 6);
        NDArray a = gpu.array(DType.F64, 4, 6);
        NDArray b = gpu.array(DType.F64, 6).unsqueeze(0).expand(4, 6);
        NDArray out = gpu.array(DType.F64, 4, 6);
        gpu.elementwise.where(cond, a, b, out);
        Launch l = gpu.launcher.only();
        assertEquals("weft_where_b8", l.kernel());
        assertPointer(cond, l.args().get(1));
        assertArrayEquals(new long[] {1, 0}, desc(l.args().get(2)).strides());
        assertArrayEquals(new long[] {6, 1}, desc(l.args().get(4)).strides());
        assertArrayEquals(new long[] {0, 1}, desc(l.args().get(6)).strides());
        assertPointer(out, l.args().get(7));
    }

    @Test
    void clampPassesBoundsInTheScalarTypeOfItsDtype() {
        gpu.elementwise.clamp(gpu.array(DType.F32, 3), -1.5, Double.POSITIVE_INFINITY, gpu.array(DType.F32, 3));
        gpu.elementwise.clamp(gpu.array(DType.F64, 3), -1.5, 2.5, gpu.array(DType.F64, 3));
        gpu.elementwise.clamp(gpu.array(DType.I32, 3), Double.NEGATIVE_INFINITY, 7, gpu.array(DType.I32, 3));
        gpu.elementwise.clamp(gpu.array(DType.I64, 3), -4, Double.POSITIVE_INFINITY, gpu.array(DType.I64, 3));
        assertEquals(List.of(-1.5f, Float.POSITIVE_INFINITY), gpu.launcher.get(0).args().subList(3, 5));
        assertEquals(List.of(-1.5, 2.5), gpu.launcher.get(1).args().subList(3, 5));
        assertEquals(List.of((long) Integer.MIN_VALUE, 7L), gpu.launcher.get(2).args().subList(3, 5),
                "an absent bound is the type's extreme (the kernel compares in int)");
        assertEquals(List.of(-4L, Long.MAX_VALUE), gpu.launcher.get(3).args().subList(3, 5));
    }

    @Test
    void backwardHelpersNameTheirKernels() {
        NDArray g = gpu.array(DType.F32, 8);
        NDArray x = gpu.array(DType.F32, 8);
        gpu.elementwise.geluBackward(UnaryOp.GELU_ERF, g, x, gpu.array(DType.F32, 8));
        gpu.elementwise.geluBackward(UnaryOp.GELU_TANH, g, x, gpu.array(DType.F32, 8));
        gpu.elementwise.thresholdBackward(g, x, 0.0, gpu.array(DType.F32, 8));
        assertEquals(List.of("weft_gelu_erf_backward_f32", "weft_gelu_tanh_backward_f32",
                "weft_threshold_backward_f32"), gpu.launcher.names());
        assertEquals(0.0f, gpu.launcher.get(2).args().get(5));
    }

    @Test
    void aStridedOutputIsWrittenThroughAScratchArrayAndACopy() {
        NDArray out = gpu.array(DType.F32, 5, 4).t();
        NDArray x = gpu.array(DType.F32, 4, 5);
        long held = gpu.allocatedBytes();
        gpu.elementwise.unary(UnaryOp.EXP, x, out);
        assertEquals(List.of("weft_unary_exp_f32", "weft_copy_b4"), gpu.launcher.names());
        assertPointer(out, gpu.launcher.get(1).args().get(3));
        assertArrayEquals(new long[] {1, 4}, desc(gpu.launcher.get(1).args().get(4)).strides());
        assertEquals(held, gpu.allocatedBytes());
    }

    @Test
    void aLargeArrayGetsAGridThatCoversItAndNothingIsLaunchedForAnEmptyOne() {
        NDArray x = gpu.array(DType.F32, 1000, 1001);
        gpu.elementwise.unary(UnaryOp.RELU, x, gpu.array(DType.F32, 1000, 1001));
        Launch l = gpu.launcher.only();
        assertTrue((long) l.grid().x() * l.block().x() >= 1001000L);
        assertEquals(Dim3.of((1001000 + 255) / 256), l.grid());
        gpu.launcher.clear();
        gpu.elementwise.unary(UnaryOp.RELU, gpu.array(DType.F32, 0, 7), gpu.array(DType.F32, 0, 7));
        assertEquals(0, gpu.launcher.launches.size());
    }
}
