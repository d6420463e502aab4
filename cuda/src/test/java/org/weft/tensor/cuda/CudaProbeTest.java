package org.weft.tensor.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.weft.tensor.DType;
import org.weft.tensor.Device;
import org.weft.tensor.NDArray;
import org.weft.tensor.backend.Backends;

/** The probe says why no GPU is usable, once, and the CPU path does not notice. */
class CudaProbeTest {

    @Test
    void aMissingDriverIsExplainedFromTheCauseJavaCppAttaches() {
        // The shape of the failure JavaCPP throws on a machine without a driver.
        UnsatisfiedLinkError top = new UnsatisfiedLinkError("no jnicudart in java.library.path: /usr/lib");
        top.initCause(new UnsatisfiedLinkError("/tmp/cache/org/bytedeco/cuda/linux-x86_64/libjnicudart.so:"
                + " libcuda.so.1: cannot open shared object file: No such file or directory"));
        assertEquals("libcuda.so.1 not found: no NVIDIA driver on this machine", CudaProbe.explain(top));
    }

    @Test
    void otherMissingLibrariesAndSymbolsAreNamed() {
        UnsatisfiedLinkError runtime = new UnsatisfiedLinkError(
                "/x/libjnicudart.so: libcudart.so.13: cannot open shared object file: No such file or directory");
        assertEquals("libcudart.so.13 not found: put the directory that holds it on LD_LIBRARY_PATH",
                CudaProbe.explain(runtime));
        UnsatisfiedLinkError old = new UnsatisfiedLinkError("/x/libjnicudart.so: undefined symbol: cuCtxCreate_v4");
        assertTrue(CudaProbe.explain(old).contains("lack cuCtxCreate_v4"), CudaProbe.explain(old));
        assertEquals("the CUDA bindings failed to load: something else",
                CudaProbe.explain(new UnsatisfiedLinkError("something else")));
    }

    @Test
    void theAnswerIsComputedOnceAndKept() {
        assertSame(CudaProbe.status(), CudaProbe.status());
    }

    @Test
    void withoutADriverTheStatusSaysWhy() {
        CudaStatus s = CudaProbe.status();
        if (s.usable()) {
            assertFalse(s.devices().isEmpty());
            assertTrue(s.describe().get(0).startsWith("cuda: driver "), s.describe().get(0));
            return;
        }
        assertFalse(s.reason().isBlank());
        assertEquals(List.of("cuda: not usable: " + s.reason()), s.describe());
        if (!driverLibraryPresent()) {
            assertEquals("libcuda.so.1 not found: no NVIDIA driver on this machine", s.reason());
        }
    }

    @Test
    void withoutADriverCudaDevicesFailClearlyAndTheCpuStillWorks() {
        CudaStatus s = CudaProbe.status();
        if (s.usable()) {
            return; // covered by CudaDeviceTest on a GPU
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.of(Device.cuda(0)));
        assertEquals("cuda:0 is not available: " + s.reason(), e.getMessage());
        // Asking again gives the same answer: the failed load is not retried (it would throw NoClassDefFoundError).
        IllegalStateException again = assertThrows(IllegalStateException.class,
                () -> NDArray.zeros(DType.F32, Device.cuda(0), 2, 2));
        assertEquals(e.getMessage(), again.getMessage());
        assertEquals(List.of("cuda: not usable: " + s.reason()), Backends.describeCuda());

        NDArray a = NDArray.of(new float[] {1, 2, 3}, 3);
        NDArray b = NDArray.of(new float[] {10, 20, 30}, 3);
        assertArrayEquals(new float[] {11, 22, 33}, a.add(b).toFloatArray());
        // Moving an array there says the same, and the CPU array stays where it is.
        IllegalStateException move = assertThrows(IllegalStateException.class, () -> a.toDevice(Device.cuda(0)));
        assertEquals(e.getMessage(), move.getMessage());
        assertSame(a, a.toDevice(Device.CPU));
    }

    @Test
    void statusLinesNameTheDriverAndEachDevice() {
        GpuInfo h100 = new GpuInfo(0, "NVIDIA H100 80GB HBM3", 9, 0, 132, 85_520_809_984L);
        CudaStatus s = new CudaStatus(true, null, 13000, List.of(h100));
        assertEquals(List.of("cuda: driver 13.0, 1 device",
                "cuda:0 NVIDIA H100 80GB HBM3, compute capability 9.0 (sm_90), 132 SMs, 79.65 GiB"), s.describe());
        assertEquals("13.1", CudaStatus.versionString(13010));
    }

    /** Whether libcuda.so.1 lies in a directory the dynamic linker searches. */
    private static boolean driverLibraryPresent() {
        List<String> dirs = new ArrayList<>(List.of("/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64",
                "/lib64", "/usr/lib", "/usr/local/cuda/lib64", "/usr/local/cuda/compat"));
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) {
            dirs.addAll(List.of(ld.split(File.pathSeparator)));
        }
        for (String d : dirs) {
            if (!d.isEmpty() && Files.exists(Path.of(d, "libcuda.so.1"))) {
                return true;
            }
        }
        return false;
    }
}
