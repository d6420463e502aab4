package org.weft.tensor.cuda;

import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.global.cudart;

/**
 * One {@code __global__} function of a loaded module, launched by name with typed arguments.
 *
 * <p>A launch only queues the kernel: a fault inside it (a bad address) is reported by the
 * next call that waits for the stream, not by {@link #launch}.
 */
final class CudaKernel {

    private final CudaContext context;
    private final CUfunc_st function;
    private final String name;

    CudaKernel(CudaContext context, CUfunc_st function, String name) {
        this.context = context;
        this.function = function;
        this.name = name;
    }

    String name() {
        return name;
    }

    /** Queues the kernel on {@code stream}; {@code args} as {@link KernelArgs} packs them. */
    void launch(Dim3 grid, Dim3 block, int sharedBytes, CudaStream stream, Object... args) {
        launch(null, grid, block, sharedBytes, stream, args);
    }

    /**
     * As {@link #launch(Dim3, Dim3, int, CudaStream, Object...)}; {@code what} names the Weft
     * op and its shapes ("relu of x [64, 128] F32") for the error message.
     */
    void launch(String what, Dim3 grid, Dim3 block, int sharedBytes, CudaStream stream, Object... args) {
        context.makeCurrent();
        try (KernelArgs packed = KernelArgs.pack(args)) {
            int rc = cudart.cuLaunchKernel(function, grid.x(), grid.y(), grid.z(), block.x(), block.y(), block.z(),
                    sharedBytes, stream.raw(), packed.pointers(), null);
            if (rc != 0) {
                CudaException.check(rc, "cuLaunchKernel", describe(what, grid, block, sharedBytes, args.length));
            }
        }
    }

    /** The launch as the error message names it. */
    String describe(String what, Dim3 grid, Dim3 block, int sharedBytes, int argCount) {
        return (what == null ? "" : what + ", ") + "kernel " + name + ", grid " + grid + ", block " + block + ", "
                + sharedBytes + " shared bytes, " + argCount + " arguments";
    }
}
