package org.weft.tensor.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Weft's own kernels on one GPU: the fatbin the build compiled from {@code native/} when it
 * is on the class path, otherwise the {@code .cu} sources compiled now with NVRTC for this
 * GPU's architecture.
 */
final class KernelLibrary implements AutoCloseable {

    static final String FATBIN = "org/weft/native/weft_kernels.fatbin";
    static final String SOURCES = "org/weft/native/src/";

    private final List<CudaModule> modules;

    private KernelLibrary(List<CudaModule> modules) {
        this.modules = modules;
    }

    static KernelLibrary load(CudaContext context, GpuInfo gpu) {
        ClassLoader loader = KernelLibrary.class.getClassLoader();
        byte[] fatbin = KernelSources.bytes(loader, FATBIN);
        if (fatbin != null) {
            return new KernelLibrary(List.of(CudaModule.load(context, fatbin, FATBIN)));
        }
        TreeMap<String, String> files = KernelSources.read(loader, SOURCES);
        Map<String, String> headers = new TreeMap<>();
        List<String> units = new ArrayList<>();
        for (var e : files.entrySet()) {
            if (e.getKey().endsWith(".cu")) {
                units.add(e.getKey());
            } else {
                headers.put(e.getKey(), e.getValue());
            }
        }
        if (units.isEmpty()) {
            throw new IllegalStateException("no CUDA kernels in this build: neither " + FATBIN
                    + " nor .cu sources under " + SOURCES + " are on the class path");
        }
        List<CudaModule> modules = new ArrayList<>();
        try {
            for (String unit : units) {
                byte[] cubin = Nvrtc.compile(unit, files.get(unit), headers, gpu.arch());
                modules.add(CudaModule.load(context, cubin, unit + " (NVRTC, " + gpu.arch() + ")"));
            }
        } catch (RuntimeException e) {
            modules.forEach(CudaModule::close);
            throw e;
        }
        return new KernelLibrary(modules);
    }

    /** The kernel with this extern "C" name; an error lists where it was looked for. */
    CudaKernel kernel(String name) {
        for (CudaModule m : modules) {
            CudaKernel k = m.find(name);
            if (k != null) {
                return k;
            }
        }
        List<String> origins = new ArrayList<>();
        for (CudaModule m : modules) {
            origins.add(m.origin());
        }
        throw new IllegalStateException("no CUDA kernel named " + name + " in " + origins);
    }

    @Override
    public void close() {
        modules.forEach(CudaModule::close);
    }
}
