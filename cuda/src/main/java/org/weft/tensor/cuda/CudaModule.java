package org.weft.tensor.cuda;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/** Compiled kernels loaded into a context: a fatbin or cubin image, and the functions found in it. */
final class CudaModule implements AutoCloseable {

    private static final int LOG_BYTES = 16 * 1024;

    private final CudaContext context;
    private final CUmod_st module;
    private final String origin;
    private final Map<String, CudaKernel> kernels = new HashMap<>();
    private boolean closed;

    private CudaModule(CudaContext context, CUmod_st module, String origin) {
        this.context = context;
        this.module = module;
        this.origin = origin;
    }

    /**
     * Loads {@code image} (fatbin, cubin or PTX); {@code origin} names it in errors. The driver's
     * JIT error log (why an image does not fit this GPU) is part of the error.
     */
    static CudaModule load(CudaContext context, byte[] image, String origin) {
        context.makeCurrent();
        CUmod_st m = new CUmod_st();
        try (BytePointer data = new BytePointer(image.length + 1L);
             BytePointer log = new BytePointer(LOG_BYTES);
             IntPointer options = new IntPointer(cudart.CU_JIT_ERROR_LOG_BUFFER,
                     cudart.CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES);
             PointerPointer<Pointer> values = new PointerPointer<>(2)) {
            data.put(image).put(image.length, (byte) 0); // PTX must end in NUL; binaries ignore it
            log.fill(0);
            values.put(0, log);
            values.put(1, Handles.pointer(LOG_BYTES)); // option values that are numbers travel as void*
            int rc = cudart.cuModuleLoadDataEx(m, data, 2, options, values);
            if (rc != 0) {
                String jitLog = log.getString(StandardCharsets.UTF_8).trim();
                CudaException.check(rc, "cuModuleLoadDataEx", "loading " + origin
                        + (jitLog.isEmpty() ? "" : "; JIT log:\n" + jitLog));
            }
        }
        return new CudaModule(context, m, origin);
    }

    String origin() {
        return origin;
    }

    /** The kernel named {@code name} (its extern "C" name), or null when this module has none. */
    synchronized CudaKernel find(String name) {
        CudaKernel k = kernels.get(name);
        if (k != null) {
            return k;
        }
        context.makeCurrent();
        CUfunc_st f = new CUfunc_st();
        int rc = cudart.cuModuleGetFunction(f, module, name);
        if (rc == cudart.CUDA_ERROR_NOT_FOUND) {
            return null;
        }
        CudaException.check(rc, "cuModuleGetFunction", "kernel " + name + " in " + origin);
        k = new CudaKernel(context, f, name);
        kernels.put(name, k);
        return k;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            context.makeCurrent();
            CudaException.check(cudart.cuModuleUnload(module), "cuModuleUnload", origin);
        }
    }
}
