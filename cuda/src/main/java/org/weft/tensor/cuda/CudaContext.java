package org.weft.tensor.cuda;

import org.bytedeco.cuda.cudart.CUctx_st;
import org.bytedeco.cuda.global.cudart;

/**
 * The primary context of one GPU: the context the CUDA runtime, cuBLAS and cuDNN also use,
 * so memory and streams are shared with them.
 *
 * <p>The driver keeps a current context per thread, so every entry point that may run on a
 * new thread (a Cleaner, a data-loader worker) calls {@link #makeCurrent()} first; it is cheap.
 */
final class CudaContext implements AutoCloseable {

    private final int ordinal;
    private final int device;
    private final CUctx_st context;
    private boolean closed;

    private CudaContext(int ordinal, int device, CUctx_st context) {
        this.ordinal = ordinal;
        this.device = device;
        this.context = context;
    }

    /** Retains the primary context of GPU {@code ordinal} and makes it current on this thread. */
    static CudaContext retain(int ordinal) {
        int[] dev = new int[1];
        CudaException.check(cudart.cuDeviceGet(dev, ordinal), "cuDeviceGet", "cuda:" + ordinal);
        CUctx_st ctx = new CUctx_st();
        CudaException.check(cudart.cuDevicePrimaryCtxRetain(ctx, dev[0]), "cuDevicePrimaryCtxRetain", "cuda:" + ordinal);
        CudaContext c = new CudaContext(ordinal, dev[0], ctx);
        c.makeCurrent();
        return c;
    }

    void makeCurrent() {
        CudaException.check(cudart.cuCtxSetCurrent(context), "cuCtxSetCurrent", "cuda:" + ordinal);
    }

    /** Waits for all work on this GPU; errors of earlier asynchronous work surface here. */
    void synchronize() {
        makeCurrent();
        CudaException.check(cudart.cuCtxSynchronize(), "cuCtxSynchronize", "cuda:" + ordinal);
    }

    int ordinal() {
        return ordinal;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            CudaException.check(cudart.cuDevicePrimaryCtxRelease(device), "cuDevicePrimaryCtxRelease");
        }
    }
}
