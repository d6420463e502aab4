package org.weft.tensor.backend;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.weft.tensor.Device;
import org.weft.tensor.cpu.CpuBackend;

/** Finds the backend of a device. */
public final class Backends {

    // The CUDA module is looked up once, and only when a CUDA device is first asked for, so
    // that CPU-only use never loads JavaCPP; its backends are kept per device index.
    private static volatile Object cudaProvider; // a CudaBackendProvider, or the String saying why none
    private static final ConcurrentHashMap<Integer, Backend> CUDA = new ConcurrentHashMap<>();

    private Backends() {
    }

    public static Backend of(Device device) {
        if (device.type() == Device.Type.CPU) {
            return CpuBackend.INSTANCE;
        }
        Backend b = CUDA.get(device.index());
        if (b != null) {
            return b;
        }
        Object p = cudaProvider();
        if (p instanceof String why) {
            throw new IllegalStateException(device + " is not available: " + why);
        }
        return CUDA.computeIfAbsent(device.index(), ((CudaBackendProvider) p)::backend);
    }

    /** Lines describing CUDA for {@code weft info}: its devices, or why there are none. */
    public static List<String> describeCuda() {
        Object p = cudaProvider();
        if (p instanceof String why) {
            return List.of("cuda: " + why);
        }
        return ((CudaBackendProvider) p).describe();
    }

    private static Object cudaProvider() {
        Object p = cudaProvider;
        if (p == null) {
            synchronized (Backends.class) {
                p = cudaProvider;
                if (p == null) {
                    p = loadCudaProvider();
                    cudaProvider = p;
                }
            }
        }
        return p;
    }

    private static Object loadCudaProvider() {
        try {
            Class<?> c = Class.forName(CudaBackendProvider.IMPLEMENTATION);
            return c.getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            return "no CUDA backend in this build (the weft-cuda module is not on the class path)";
        } catch (ReflectiveOperationException | LinkageError e) {
            return "the CUDA backend failed to load: " + e;
        }
    }
}
