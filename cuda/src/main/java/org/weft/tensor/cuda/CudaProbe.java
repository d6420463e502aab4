package org.weft.tensor.cuda;

import static org.bytedeco.cuda.global.cudart.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR;
import static org.bytedeco.cuda.global.cudart.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR;
import static org.bytedeco.cuda.global.cudart.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * Loads the CUDA driver API once and says what it found, or why no GPU is usable.
 *
 * <p>Once: without a driver, loading the bindings throws an UnsatisfiedLinkError, and from
 * then on every class of the presets throws NoClassDefFoundError, so a second attempt can
 * only fail differently and less clearly. The answer is kept for the life of the JVM.
 */
public final class CudaProbe {

    private static CudaStatus status;

    private CudaProbe() {
    }

    /** The cached answer; the first call loads the driver. */
    public static synchronized CudaStatus status() {
        if (status == null) {
            status = probe();
        }
        return status;
    }

    private static CudaStatus probe() {
        try {
            Loader.load(cudart.class);
        } catch (LinkageError e) {
            return CudaStatus.unusable(explain(e), 0);
        }
        try {
            int rc = cudart.cuInit(0);
            int[] version = new int[1];
            cudart.cuDriverGetVersion(version);
            if (rc != 0) {
                return CudaStatus.unusable(failure("cuInit", rc), version[0]);
            }
            int[] count = new int[1];
            CudaException.check(cudart.cuDeviceGetCount(count), "cuDeviceGetCount");
            if (count[0] == 0) {
                return CudaStatus.unusable("the NVIDIA driver sees no CUDA device", version[0]);
            }
            List<GpuInfo> devices = new ArrayList<>();
            for (int i = 0; i < count[0]; i++) {
                devices.add(describe(i));
            }
            return new CudaStatus(true, null, version[0], devices);
        } catch (CudaException | LinkageError e) {
            return CudaStatus.unusable(e.getMessage(), 0);
        }
    }

    private static GpuInfo describe(int ordinal) {
        int[] dev = new int[1];
        CudaException.check(cudart.cuDeviceGet(dev, ordinal), "cuDeviceGet", "device " + ordinal);
        byte[] name = new byte[256];
        CudaException.check(cudart.cuDeviceGetName(name, name.length, dev[0]), "cuDeviceGetName");
        int len = 0;
        while (len < name.length && name[len] != 0) {
            len++;
        }
        int major = attribute(CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev[0]);
        int minor = attribute(CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, dev[0]);
        int sms = attribute(CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, dev[0]);
        long bytes;
        try (SizeTPointer total = new SizeTPointer(1)) {
            CudaException.check(cudart.cuDeviceTotalMem(total, dev[0]), "cuDeviceTotalMem");
            bytes = total.get();
        }
        return new GpuInfo(ordinal, new String(name, 0, len, StandardCharsets.UTF_8), major, minor, sms, bytes);
    }

    private static int attribute(int attribute, int device) {
        int[] v = new int[1];
        CudaException.check(cudart.cuDeviceGetAttribute(v, attribute, device), "cuDeviceGetAttribute");
        return v[0];
    }

    private static String failure(String call, int rc) {
        try {
            CudaException.check(rc, call);
            return call + " failed";
        } catch (CudaException e) {
            return e.getMessage();
        }
    }

    private static final Pattern MISSING_LIBRARY = Pattern.compile("(lib[\\w.+-]+?\\.so[\\w.]*): cannot open shared object file");
    private static final Pattern MISSING_SYMBOL = Pattern.compile("undefined symbol: (\\w+)");

    /**
     * Why the bindings failed to load, in words: the JVM's message names JavaCPP's own
     * library, the real culprit sits in a cause ("libcuda.so.1: cannot open shared object file").
     */
    static String explain(Throwable failure) {
        String deepest = String.valueOf(failure.getMessage());
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            deepest = m;
            Matcher lib = MISSING_LIBRARY.matcher(m);
            if (lib.find()) {
                String name = lib.group(1);
                if (name.startsWith("libcuda.so")) {
                    return name + " not found: no NVIDIA driver on this machine";
                }
                return name + " not found: put the directory that holds it on LD_LIBRARY_PATH";
            }
            Matcher sym = MISSING_SYMBOL.matcher(m);
            if (sym.find()) {
                return "the CUDA libraries lack " + sym.group(1) + ": they are older than the bindings"
                        + " (Weft needs a CUDA 13 driver and runtime)";
            }
        }
        return "the CUDA bindings failed to load: " + deepest;
    }
}
