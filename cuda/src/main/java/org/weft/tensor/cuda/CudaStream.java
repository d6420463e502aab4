package org.weft.tensor.cuda;

import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cudart;

/**
 * A queue of GPU work that runs in order. Non-blocking: it does not wait for the legacy
 * default stream, so work on it overlaps with libraries that use that one.
 */
final class CudaStream implements AutoCloseable {

    private final CudaContext context;
    private final CUstream_st stream;
    private boolean closed;

    private CudaStream(CudaContext context, CUstream_st stream) {
        this.context = context;
        this.stream = stream;
    }

    static CudaStream create(CudaContext context) {
        context.makeCurrent();
        CUstream_st s = new CUstream_st();
        CudaException.check(cudart.cuStreamCreate(s, cudart.CU_STREAM_NON_BLOCKING), "cuStreamCreate");
        return new CudaStream(context, s);
    }

    CUstream_st raw() {
        return stream;
    }

    /** The handle the allocator orders memory by. */
    long handle() {
        return stream.address();
    }

    /** Makes later work on this stream wait for {@code event}, without blocking the host. */
    void waitFor(CudaEvent event) {
        context.makeCurrent();
        CudaException.check(cudart.cuStreamWaitEvent(stream, event.raw(), 0), "cuStreamWaitEvent");
    }

    /** Blocks the host until everything queued so far has run. */
    void synchronize() {
        context.makeCurrent();
        CudaException.check(cudart.cuStreamSynchronize(stream), "cuStreamSynchronize");
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            context.makeCurrent();
            CudaException.check(cudart.cuStreamDestroy(stream), "cuStreamDestroy");
        }
    }
}
