package org.weft.tensor.cuda;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The launcher that runs: each launch queued on the backend's stream with
 * {@code cuLaunchKernel}, kernels looked up once by name in Weft's kernel library.
 *
 * <p>Status: written against native/ABI.md and checked here only through the launches the
 * families compute; it has not yet run on a GPU.
 */
final class StreamLauncher implements Launcher {

    private final Supplier<KernelLibrary> library;
    private final CudaStream stream;
    private final Map<String, CudaKernel> kernels = new HashMap<>();

    StreamLauncher(Supplier<KernelLibrary> library, CudaStream stream) {
        this.library = library;
        this.stream = stream;
    }

    @Override
    public void launch(Launch l) {
        kernel(l.kernel()).launch(l.what(), l.grid(), l.block(), l.sharedBytes(), stream, l.argArray());
    }

    private synchronized CudaKernel kernel(String name) {
        CudaKernel k = kernels.get(name);
        if (k == null) {
            k = library.get().kernel(name);
            kernels.put(name, k);
        }
        return k;
    }
}
