package org.weft.tensor.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.weft.tensor.cuda.FakeGpu.assertPointer;
import static org.weft.tensor.cuda.FakeGpu.desc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;

/** CudaCopy's launches, checked against native/ABI.md (RecordingLauncher) without a GPU. */
class CudaCopyTest {

    private final FakeGpu gpu = new FakeGpu();

    @Test
    void aContiguousCopyIsOneFastPathLaunchOfTheElementWidthsKernel() {
        NDArray src = gpu.array(DType.F32, 7, 131);
        NDArray dst = gpu.array(DType.F32, 7, 131);
        gpu.copy.copy(src, dst);
        Launch l = gpu.launcher.only();
        assertEquals("weft_copy_b4", l.kernel());
        assertEquals(917L, l.args().get(0));
        assertPointer(src, l.args().get(1));
        assertArrayEquals(new long[] {917}, desc(l.args().get(2)).sizes());
        assertArrayEquals(new long[] {1}, desc(l.args().get(2)).strides());
        assertPointer(dst, l.args().get(3));
        assertArrayEquals(new long[] {1}, desc(l.args().get(4)).strides());
        assertEquals(Dim3.of(FakeGpu.elementwiseGrid(917)), l.grid());
        assertEquals(Dim3.of(256), l.block());
    }

    @Test
    void aStridedViewIsDescribedInElementsAndItsOffsetMovesThePointer() {
        NDArray base = gpu.array(DType.F64, 6, 10);
        NDArray view = base.transpose(0, 1).narrow(1, 2, 3); // [10, 3], strides (1, 10), offset 20
        NDArray dst = gpu.array(DType.F64, 10, 3);
        gpu.copy.copy(view, dst);
        Launch l = gpu.launcher.only();
        assertEquals("weft_copy_b8", l.kernel());
        assertEquals(((CudaStorage) base.storage()).address() + 20 * 8,
                ((DevicePointer) l.args().get(1)).address(), "offset 20 elements = 160 bytes");
        FakeGpu.Desc s = desc(l.args().get(2));
        assertArrayEquals(new long[] {10, 3}, s.sizes());
        assertArrayEquals(new long[] {1, 10}, s.strides());
        assertArrayEquals(new long[] {3, 1}, desc(l.args().get(4)).strides(), "dst shares the shape, own strides");
    }

    @Test
    void eachDtypeCopiesWithTheKernelOfItsWidth() {
        for (DType t : DType.values()) {
            gpu.launcher.clear();
            gpu.copy.copy(gpu.array(t, 3), gpu.array(t, 3));
            assertEquals("weft_copy_b" + t.byteSize(), gpu.launcher.only().kernel(), t.toString());
        }
    }

    @Test
    void aConversionIntoAContiguousArrayIsOneConvertLaunch() {
        NDArray src = gpu.array(DType.F32, 4, 5).t();
        NDArray dst = gpu.array(DType.I64, 5, 4);
        gpu.copy.copy(src, dst);
        Launch l = gpu.launcher.only();
        assertEquals("weft_convert_f32_i64", l.kernel());
        assertEquals(20L, l.args().get(0));
        assertArrayEquals(new long[] {1, 5}, desc(l.args().get(2)).strides());
        assertPointer(dst, l.args().get(3));
    }

    @Test
    void everyPairOfComputeAndBf16DtypesHasAConversionKernel() {
        List<DType> kinds = List.of(DType.F32, DType.F64, DType.BF16, DType.I64, DType.I32, DType.U8, DType.BOOL);
        for (DType from : kinds) {
            for (DType to : kinds) {
                if (from != to) {
                    gpu.copy.copy(gpu.array(from, 2), gpu.array(to, 2)); // RecordingLauncher checks the name
                }
            }
        }
        assertEquals(42, gpu.launcher.launches.size());
    }

    @Test
    void aConversionIntoAStridedArrayGoesThroughAReleasedScratchArray() {
        NDArray dst = gpu.array(DType.F32, 3, 8).narrow(1, 0, 5); // rows of 5 with stride 8
        NDArray src = gpu.array(DType.I32, 3, 5);
        long held = gpu.allocatedBytes();
        gpu.copy.copy(src, dst);
        assertEquals(List.of("weft_convert_i32_f32", "weft_copy_b4"), gpu.launcher.names());
        Launch convert = gpu.launcher.get(0);
        Launch copy = gpu.launcher.get(1);
        assertEquals(convert.args().get(3), copy.args().get(1), "the copy reads what the conversion wrote");
        assertPointer(dst, copy.args().get(3));
        assertArrayEquals(new long[] {8, 1}, desc(copy.args().get(4)).strides());
        assertEquals(held, gpu.allocatedBytes(), "the scratch array was released");
    }

    @Test
    void f16ConversionsHaveNoKernelAndSaySo() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> gpu.copy.copy(gpu.array(DType.F16, 2), gpu.array(DType.F32, 2)));
        assertTrue(e.getMessage().startsWith("not yet implemented on CUDA: copy.copy from F16 to F32"), e.getMessage());
    }

    @Test
    void emptyArraysLaunchNothing() {
        gpu.copy.copy(gpu.array(DType.F32, 0, 3), gpu.array(DType.F32, 0, 3));
        gpu.copy.fill(gpu.array(DType.F32, 4, 0), 1);
        assertEquals(0, gpu.launcher.launches.size());
    }

    @Test
    void fillPassesTheBitsTheCpuBackendStores() {
        NDArray dst = gpu.array(DType.F32, 3, 4).t();
        gpu.copy.fill(dst, 1.5);
        Launch l = gpu.launcher.only();
        assertEquals("weft_fill_b4", l.kernel());
        assertPointer(dst, l.args().get(1));
        assertArrayEquals(new long[] {1, 4}, desc(l.args().get(2)).strides());
        assertEquals(Float.floatToRawIntBits(1.5f), ByteBuffer.wrap((byte[]) l.args().get(3))
                .order(ByteOrder.LITTLE_ENDIAN).getInt());
    }

    @Test
    void fillBitsFollowEachDtypesConversion() {
        assertArrayEquals(new byte[] {1}, CudaCopy.fillBits(DType.BOOL, -0.5), "nonzero is true");
        assertArrayEquals(new byte[] {(byte) 0xFF}, CudaCopy.fillBits(DType.U8, 255));
        assertArrayEquals(new byte[] {(byte) 0x80, 0x3F}, CudaCopy.fillBits(DType.BF16, 1.0), "bf16 1.0 = 0x3F80");
        ByteBuffer i64 = ByteBuffer.wrap(CudaCopy.fillBits(DType.I64, -3)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(-3L, i64.getLong());
        ByteBuffer f64 = ByteBuffer.wrap(CudaCopy.fillBits(DType.F64, Math.PI)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(Math.PI, f64.getDouble());
    }

    @Test
    void aBroadcastSourceKeepsItsZeroStride() {
        NDArray row = gpu.array(DType.I64, 1, 9).expand(4, 9);
        NDArray dst = gpu.array(DType.I64, 4, 9);
        gpu.copy.copy(row, dst);
        FakeGpu.Desc s = desc(gpu.launcher.only().args().get(2));
        assertArrayEquals(new long[] {4, 9}, s.sizes());
        assertArrayEquals(new long[] {0, 1}, s.strides());
    }
}
