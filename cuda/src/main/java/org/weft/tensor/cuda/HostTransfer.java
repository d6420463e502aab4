package org.weft.tensor.cuda;

import java.nio.ByteBuffer;
import org.weft.tensor.DType;
import org.weft.tensor.Device;
import org.weft.tensor.NDArray;
import org.weft.tensor.cpu.CpuStorage;

/**
 * Copies between host arrays and one GPU through a small ring of pinned staging buffers.
 *
 * <p>Upload: the host array (made contiguous on the host first) is copied chunk by chunk into
 * a pinned buffer and queued with {@code cuMemcpyHtoDAsync}; the call returns without waiting
 * for the GPU, and kernels queued later on the stream see the data. A buffer is refilled only
 * after the event recorded behind its last copy has completed, so the host waits only when it
 * uploads faster than the copy engine drains (more than the ring holds in flight). Download:
 * the array (made contiguous on the device first, by a copy kernel) is copied chunk by chunk
 * into a pinned buffer, and the host waits for each chunk: this is where a value is read on the
 * host, the one place Weft waits for the GPU.
 *
 * <p>Status: compiles against the CUDA 13.0 driver API as bound by JavaCPP; not yet run on a GPU.
 */
final class HostTransfer implements AutoCloseable {

    /** Bytes per staging buffer. */
    static final int CHUNK = 4 << 20;

    /** Staging buffers in the ring: uploads of up to this many chunks never wait. */
    static final int RING = 4;

    private final CudaContext context;
    private final CudaStream stream;
    private final Scratch scratch;
    private final CudaCopy copy;
    private final PinnedBuffer[] buffers = new PinnedBuffer[RING];
    private final CudaEvent[] inFlight = new CudaEvent[RING];
    private int next;

    HostTransfer(CudaContext context, CudaStream stream, Scratch scratch, CudaCopy copy) {
        this.context = context;
        this.stream = stream;
        this.scratch = scratch;
        this.copy = copy;
    }

    /** A contiguous device copy of {@code host} (a CPU array of any strides), queued on the stream. */
    synchronized NDArray upload(NDArray host) {
        NDArray c = host.contiguous();
        NDArray dev = scratch.empty(c.dtype(), c.dims());
        long total = (long) c.numel() * c.dtype().byteSize();
        long dst = Operands.pointer(dev).address();
        int elementSize = c.dtype().byteSize();
        for (long done = 0; done < total; done += CHUNK) {
            int bytes = (int) Math.min(CHUNK, total - done);
            int slot = takeSlot();
            ByteBuffer b = buffers[slot].asByteBuffer();
            put(c, (int) (done / elementSize), bytes / elementSize, b);
            buffers[slot].copyToDevice(dst + done, bytes, stream);
            inFlight[slot].record(stream);
        }
        return dev;
    }

    /** A contiguous host copy of {@code array} (on this GPU, any strides); waits for its values. */
    synchronized NDArray download(NDArray array) {
        NDArray src = array.isContiguous() ? array : copy.contiguousScratch(array, array.dtype());
        NDArray host = NDArray.zeros(array.dtype(), Device.CPU, array.dims());
        long total = (long) src.numel() * src.dtype().byteSize();
        long from = Operands.pointer(src).address();
        int elementSize = src.dtype().byteSize();
        for (long done = 0; done < total; done += CHUNK) {
            int bytes = (int) Math.min(CHUNK, total - done);
            int slot = takeSlot();
            buffers[slot].copyFromDevice(from + done, bytes, stream);
            inFlight[slot].record(stream);
            inFlight[slot].synchronize();
            get(buffers[slot].asByteBuffer(), host, (int) (done / elementSize), bytes / elementSize);
        }
        if (src != array) {
            Operands.release(src);
        }
        return host;
    }

    /** The next ring slot, allocated on first use, once the copy that last used it has run. */
    private int takeSlot() {
        int slot = next;
        next = (next + 1) % RING;
        if (buffers[slot] == null) {
            buffers[slot] = PinnedBuffer.allocate(context, CHUNK);
            inFlight[slot] = CudaEvent.create(context, false);
        } else {
            inFlight[slot].synchronize();
        }
        return slot;
    }

    /** Elements {@code [first, first + count)} of contiguous host array {@code a} into {@code b} (native order). */
    private static void put(NDArray a, int first, int count, ByteBuffer b) {
        CpuStorage s = (CpuStorage) a.storage();
        int at = a.offset() + first;
        switch (a.dtype()) {
            case F32 -> b.asFloatBuffer().put(s.floats(), at, count);
            case F64 -> b.asDoubleBuffer().put(s.doubles(), at, count);
            case I64 -> b.asLongBuffer().put(s.longs(), at, count);
            case I32 -> b.asIntBuffer().put(s.ints(), at, count);
            case U8, BOOL -> b.put(s.bytes(), at, count);
            case BF16, F16 -> b.asShortBuffer().put(s.shorts(), at, count);
        }
    }

    /** {@code count} elements from {@code b} into fresh contiguous host array {@code a}, from element {@code first}. */
    private static void get(ByteBuffer b, NDArray a, int first, int count) {
        CpuStorage s = (CpuStorage) a.storage();
        DType t = a.dtype();
        switch (t) {
            case F32 -> b.asFloatBuffer().get(s.floats(), first, count);
            case F64 -> b.asDoubleBuffer().get(s.doubles(), first, count);
            case I64 -> b.asLongBuffer().get(s.longs(), first, count);
            case I32 -> b.asIntBuffer().get(s.ints(), first, count);
            case U8, BOOL -> b.get(s.bytes(), first, count);
            case BF16, F16 -> b.asShortBuffer().get(s.shorts(), first, count);
        }
    }

    @Override
    public synchronized void close() {
        for (int i = 0; i < RING; i++) {
            if (buffers[i] != null) {
                inFlight[i].synchronize();
                buffers[i].close();
                inFlight[i].close();
                buffers[i] = null;
            }
        }
    }
}
