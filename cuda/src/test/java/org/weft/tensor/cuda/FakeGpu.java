package org.weft.tensor.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.weft.tensor.DType;
import org.weft.tensor.Device;
import org.weft.tensor.NDArray;
import org.weft.tensor.Shape;

/**
 * The kernel families over a fake device: arrays are CudaStorage blocks of a caching
 * allocator on {@link FakeDeviceMemory} (real addresses, no memory behind them), launches go
 * to a {@link RecordingLauncher}. Nothing here needs a GPU or the CUDA driver.
 */
final class FakeGpu implements Scratch {

    static final Device DEVICE = Device.cuda(0);

    final CachingAllocator allocator = new CachingAllocator("cuda:0", new FakeDeviceMemory(1L << 40));
    final RecordingLauncher launcher = new RecordingLauncher();
    final CudaCopy copy = new CudaCopy(launcher, this, DEVICE);
    final CudaElementwise elementwise = new CudaElementwise(launcher, this, copy, DEVICE);
    final CudaReduction reduction = new CudaReduction(launcher, this, copy, DEVICE);
    final CudaLinalg linalg = new CudaLinalg(launcher, DEVICE, CudaLinalg.F32Gemm.TF32X3);
    final CudaRandom random = new CudaRandom(launcher, DEVICE);
    final CudaNorm norm = new CudaNorm(launcher, this, copy, DEVICE);
    final CudaConv conv = new CudaConv(launcher, copy, DEVICE);
    int scratchArrays;

    /** A contiguous device array (the test's own; not counted as scratch). */
    NDArray array(DType dtype, int... dims) {
        return NDArray.fromStorage(new CudaStorage(DEVICE, dtype, numel(dims), allocator, 0), new Shape(dims),
                NDArray.contiguousStrides(dims), 0);
    }

    @Override
    public NDArray empty(DType dtype, int... dims) {
        scratchArrays++;
        return array(dtype, dims);
    }

    /** Bytes held by live allocations: after an op, only the test's own arrays. */
    long allocatedBytes() {
        return allocator.stats().allocatedBytes();
    }

    static int numel(int... dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    /** The address an operand's pointer must carry: storage address plus offset in bytes. */
    static long address(NDArray a) {
        return ((CudaStorage) a.storage()).address() + (long) a.offset() * a.dtype().byteSize();
    }

    static void assertPointer(NDArray expected, Object arg) {
        assertEquals(new DevicePointer(address(expected)), arg);
    }

    /** A WeftStrides argument read back: ndim, then sizes and strides. */
    record Desc(int ndim, long[] sizes, long[] strides) {
    }

    static Desc desc(Object arg) {
        ByteBuffer b = ByteBuffer.wrap((byte[]) arg).order(ByteOrder.LITTLE_ENDIAN);
        int nd = b.getInt(0);
        long[] sizes = new long[nd];
        long[] strides = new long[nd];
        for (int d = 0; d < nd; d++) {
            sizes[d] = b.getLong(8 + 8 * d);
            strides[d] = b.getLong(72 + 8 * d);
        }
        return new Desc(nd, sizes, strides);
    }

    /** ABI.md's class E grid for n elements. */
    static int elementwiseGrid(long n) {
        return (int) Math.min((n + 255) / 256, Integer.MAX_VALUE);
    }
}
