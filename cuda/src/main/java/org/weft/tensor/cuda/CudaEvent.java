package org.weft.tensor.cuda;

import org.bytedeco.cuda.cudart.CUevent_st;
import org.bytedeco.cuda.global.cudart;

/**
 * A marker in a stream: it completes when the work queued before it has run. With timing
 * enabled, two events measure GPU time between them (what the benchmarks report).
 */
final class CudaEvent implements AutoCloseable {

    private final CudaContext context;
    private final CUevent_st event;
    private boolean closed;

    private CudaEvent(CudaContext context, CUevent_st event) {
        this.context = context;
        this.event = event;
    }

    /** An event; {@code timing} false makes recording and waiting cheaper. */
    static CudaEvent create(CudaContext context, boolean timing) {
        context.makeCurrent();
        CUevent_st e = new CUevent_st();
        CudaException.check(cudart.cuEventCreate(e, timing ? 0 : cudart.CU_EVENT_DISABLE_TIMING), "cuEventCreate");
        return new CudaEvent(context, e);
    }

    CUevent_st raw() {
        return event;
    }

    void record(CudaStream stream) {
        context.makeCurrent();
        CudaException.check(cudart.cuEventRecord(event, stream.raw()), "cuEventRecord");
    }

    /** Whether the work before the event has run; never blocks. */
    boolean isComplete() {
        context.makeCurrent();
        int rc = cudart.cuEventQuery(event);
        if (rc == cudart.CUDA_ERROR_NOT_READY) {
            return false;
        }
        CudaException.check(rc, "cuEventQuery");
        return true;
    }

    void synchronize() {
        context.makeCurrent();
        CudaException.check(cudart.cuEventSynchronize(event), "cuEventSynchronize");
    }

    /** GPU milliseconds from {@code start} to this event; both must have been created with timing. */
    float millisSince(CudaEvent start) {
        float[] ms = new float[1];
        CudaException.check(cudart.cuEventElapsedTime(ms, start.event, event), "cuEventElapsedTime");
        return ms[0];
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            context.makeCurrent();
            CudaException.check(cudart.cuEventDestroy(event), "cuEventDestroy");
        }
    }
}
