package org.weft.tensor.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Page-locked host memory: the only host memory the GPU copies from and to asynchronously
 * (a copy from ordinary pageable memory is staged and blocks the host).
 */
final class PinnedBuffer implements AutoCloseable {

    private final CudaContext context;
    private final BytePointer memory;
    private final long bytes;
    private boolean closed;

    private PinnedBuffer(CudaContext context, BytePointer memory, long bytes) {
        this.context = context;
        this.memory = memory;
        this.bytes = bytes;
    }

    static PinnedBuffer allocate(CudaContext context, long bytes) {
        context.makeCurrent();
        PointerPointer<Pointer> out = new PointerPointer<>(1);
        CudaException.check(cudart.cuMemHostAlloc(out, Math.max(1, bytes), cudart.CU_MEMHOSTALLOC_PORTABLE),
                "cuMemHostAlloc", ByteSizes.format(bytes) + " of pinned host memory");
        BytePointer p = new BytePointer(out.get(0));
        p.capacity(bytes);
        return new PinnedBuffer(context, p, bytes);
    }

    long bytes() {
        return bytes;
    }

    /** The memory as a native-order buffer, for filling and reading from Java. */
    ByteBuffer asByteBuffer() {
        return memory.asByteBuffer().order(ByteOrder.nativeOrder());
    }

    /** Queues a copy of the first {@code n} bytes to device address {@code dst} on {@code stream}. */
    void copyToDevice(long dst, long n, CudaStream stream) {
        checkLength(n);
        context.makeCurrent();
        CudaException.check(cudart.cuMemcpyHtoDAsync(dst, memory, n, stream.raw()), "cuMemcpyHtoDAsync",
                ByteSizes.format(n) + " to 0x" + Long.toHexString(dst));
    }

    /** Queues a copy of {@code n} bytes from device address {@code src} into this buffer. */
    void copyFromDevice(long src, long n, CudaStream stream) {
        checkLength(n);
        context.makeCurrent();
        CudaException.check(cudart.cuMemcpyDtoHAsync(memory, src, n, stream.raw()), "cuMemcpyDtoHAsync",
                ByteSizes.format(n) + " from 0x" + Long.toHexString(src));
    }

    private void checkLength(long n) {
        if (n < 0 || n > bytes) {
            throw new IllegalArgumentException("copy of " + n + " bytes through a pinned buffer of " + bytes);
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            context.makeCurrent();
            CudaException.check(cudart.cuMemFreeHost(memory), "cuMemFreeHost");
        }
    }
}
