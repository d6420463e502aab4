package org.weft.tensor.cuda;

import java.util.HashMap;
import java.util.Map;
import org.bytedeco.cuda.cudart.CUevent_st;
import org.bytedeco.cuda.global.cudart;

/** {@link DeviceMemory} on a real GPU, through the CUDA driver API. */
final class DriverMemory implements DeviceMemory {

    private final CudaContext context;
    // Events the allocator holds by handle, kept here so the binding objects stay reachable.
    private final Map<Long, CUevent_st> events = new HashMap<>();

    DriverMemory(CudaContext context) {
        this.context = context;
    }

    @Override
    public long malloc(long bytes) {
        context.makeCurrent();
        long[] address = new long[1];
        int rc = cudart.cuMemAlloc(address, bytes);
        if (rc == cudart.CUDA_ERROR_OUT_OF_MEMORY) {
            return 0;
        }
        CudaException.check(rc, "cuMemAlloc", ByteSizes.format(bytes) + " on cuda:" + context.ordinal());
        return address[0];
    }

    @Override
    public void free(long address) {
        context.makeCurrent();
        CudaException.check(cudart.cuMemFree(address), "cuMemFree");
    }

    @Override
    public synchronized long recordEvent(long stream) {
        context.makeCurrent();
        CUevent_st e = new CUevent_st();
        CudaException.check(cudart.cuEventCreate(e, cudart.CU_EVENT_DISABLE_TIMING), "cuEventCreate");
        CudaException.check(cudart.cuEventRecord(e, Handles.stream(stream)), "cuEventRecord");
        events.put(e.address(), e);
        return e.address();
    }

    @Override
    public synchronized boolean eventCompleted(long event) {
        context.makeCurrent();
        int rc = cudart.cuEventQuery(events.get(event));
        if (rc == cudart.CUDA_ERROR_NOT_READY) {
            return false;
        }
        CudaException.check(rc, "cuEventQuery");
        return true;
    }

    @Override
    public synchronized void destroyEvent(long event) {
        context.makeCurrent();
        CudaException.check(cudart.cuEventDestroy(events.remove(event)), "cuEventDestroy");
    }

    @Override
    public void synchronize() {
        context.synchronize();
    }
}
