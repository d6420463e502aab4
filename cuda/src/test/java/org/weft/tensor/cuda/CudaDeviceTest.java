package org.weft.tensor.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.TreeMap;
import org.bytedeco.cuda.global.cudart;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.weft.tensor.DType;
import org.weft.tensor.Device;
import org.weft.tensor.MemoryScope;
import org.weft.tensor.NDArray;
import org.weft.tensor.backend.Backends;

/**
 * The CUDA plumbing on a real GPU: probe, allocation, copies, NVRTC, module loading, launches,
 * streams and events, out of memory. Skipped (assumption) where {@link CudaProbe} finds no
 * usable GPU, unless {@code -Dweft.requireGpu=true} (as bench/gpu/run-on-device.sh runs it on
 * the lent GPU machine) turns a missing GPU into a failure.
 */
@SuppressWarnings("try") // scopes are opened for their effect, not referenced
class CudaDeviceTest {

    private static final String TEST_KERNELS = "org/weft/tensor/cuda/testkernels/";

    private static CudaBackend backend;

    @BeforeAll
    static void gpu() {
        CudaStatus s = CudaProbe.status();
        if (Boolean.getBoolean("weft.requireGpu")) {
            assertTrue(s.usable(), () -> "no usable GPU: " + s.reason());
        }
        assumeTrue(s.usable(), () -> "no usable GPU: " + s.reason());
        backend = (CudaBackend) Backends.of(Device.cuda(0));
    }

    @Test
    void theProbeDescribesTheDriverAndTheDevices() {
        CudaStatus s = CudaProbe.status();
        assertTrue(s.driverVersion() >= 13000, "driver " + s.driverVersion());
        GpuInfo g = s.devices().get(0);
        assertTrue(g.major() >= 7 && g.multiprocessors() > 0 && g.totalMemoryBytes() > (1L << 30), g.toString());
        System.out.println(String.join("\n", s.describe()));
    }

    @Test
    void storageIsZeroFilledEvenWhenItsBlockIsReused() {
        int n = 100_003;
        CudaStorage first = (CudaStorage) backend.allocate(DType.F32, n);
        fill(first, 7f, n);
        first.release();
        long hits = backend.memoryStats().cacheHits();
        CudaStorage second = (CudaStorage) backend.allocate(DType.F32, n);
        assertEquals(hits + 1, backend.memoryStats().cacheHits(), "the block comes from the cache, written before");
        float[] back = read(second, n);
        for (int i = 0; i < n; i++) {
            assertEquals(0f, back[i], "element " + i);
        }
        second.release();
    }

    @Test
    void nvrtcCompilesTheTestKernelAndItFillsExactlyNElements() {
        int n = 1_000_003;
        CudaStorage out = (CudaStorage) backend.allocate(DType.F32, n + 64);
        poison(out);
        fill(out, 2.5f, n);
        float[] back = read(out, n + 64);
        for (int i = 0; i < n; i++) {
            assertEquals(2.5f, back[i], "element " + i);
        }
        for (int i = n; i < n + 64; i++) {
            assertTrue(Float.isNaN(back[i]), "element " + i + " past the end was written");
        }
        out.release();
    }

    @Test
    void aStructPassedByValueReachesTheKernel() {
        int n = 4099;
        CudaStorage in = (CudaStorage) backend.allocate(DType.F32, n);
        CudaStorage out = (CudaStorage) backend.allocate(DType.F32, n);
        fill(in, 3f, n);
        ByteBuffer affine = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putFloat(2f).putFloat(1f).putInt(4)
                .flip();
        testKernel("weft_test_affine").launch("affine test", Dim3.blocksFor(n, 256), Dim3.of(256), 0, backend.stream(),
                out, in, affine, n);
        float[] back = read(out, n);
        for (int i = 0; i < n; i++) {
            assertEquals(2f * 3f + 1f + 4f, back[i], "element " + i);
        }
        in.release();
        out.release();
    }

    @Test
    void anInvalidLaunchNamesTheKernelAndTheDriverError() {
        CudaStorage out = (CudaStorage) backend.allocate(DType.F32, 16);
        CudaException e = assertThrows(CudaException.class, () -> testKernel("weft_test_fill")
                .launch("fill test", Dim3.of(1), Dim3.of(4096), 0, backend.stream(), out, 1f, 16));
        assertTrue(e.getMessage().contains("kernel weft_test_fill") && e.getMessage().contains("block (4096, 1, 1)")
                && e.getMessage().contains("CUDA_ERROR_INVALID_VALUE"), e.getMessage());
        out.release();
    }

    @Test
    void aBadImageAndABadSourceFailWithWhatWasLoaded() {
        CudaException load = assertThrows(CudaException.class,
                () -> CudaModule.load(backend.context(), "not a fatbin".getBytes(), "garbage.fatbin"));
        assertTrue(load.getMessage().contains("garbage.fatbin"), load.getMessage());
        CudaException compile = assertThrows(CudaException.class, () -> Nvrtc.compile("bad.cu",
                "extern \"C\" __global__ void f() { undefined_name = 1; }", Map.of(), backend.gpu().arch()));
        assertTrue(compile.getMessage().contains("compile log") && compile.getMessage().contains("undefined_name"),
                compile.getMessage());
    }

    @Test
    void anotherStreamReusesAFreedBlockOnlyAfterTheFreeingStreamReachedACheckpoint() {
        try (CudaStream s = CudaStream.create(backend.context()); CudaStream t = CudaStream.create(backend.context())) {
            CachingAllocator alloc = new CachingAllocator("cuda:0", new DriverMemory(backend.context()));
            Allocation a = alloc.allocate(8L << 20, s.handle());
            long address = a.address();
            alloc.free(a);
            Allocation t1 = alloc.allocate(8L << 20, t.handle()); // records a checkpoint on s
            assertNotEquals(address, t1.address());
            s.synchronize();
            Allocation t2 = alloc.allocate(8L << 20, t.handle());
            assertEquals(address, t2.address());
            alloc.free(t1);
            alloc.free(t2);
            alloc.emptyCache();
            assertEquals(0, alloc.stats().reservedBytes());
        }
    }

    @Test
    void askingForMoreThanTheDeviceHasIsAClearOutOfMemoryError() {
        CachingAllocator alloc = new CachingAllocator("cuda:0", new DriverMemory(backend.context()));
        long tooMuch = backend.gpu().totalMemoryBytes() + (1L << 30);
        OutOfDeviceMemoryException e = assertThrows(OutOfDeviceMemoryException.class,
                () -> alloc.allocate(tooMuch, 0));
        assertTrue(e.getMessage().startsWith("CUDA out of memory on cuda:0: tried to allocate"), e.getMessage());
        assertEquals(1, alloc.stats().oomRetries());
    }

    @Test
    void timedEventsMeasureAKernel() {
        int n = 1 << 24;
        CudaStorage out = (CudaStorage) backend.allocate(DType.F32, n);
        try (CudaEvent start = CudaEvent.create(backend.context(), true);
             CudaEvent end = CudaEvent.create(backend.context(), true)) {
            start.record(backend.stream());
            fill(out, 1f, n);
            end.record(backend.stream());
            end.synchronize();
            assertTrue(end.isComplete());
            float ms = end.millisSince(start);
            assertTrue(ms > 0 && ms < 10_000, ms + " ms");
        }
        out.release();
    }

    @Test
    void stepsInAScopeKeepDeviceMemoryFlat() {
        long reservedAfterFirst = 0;
        for (int step = 0; step < 50; step++) {
            try (var scope = MemoryScope.open()) {
                for (int i = 0; i < 10; i++) {
                    backend.allocate(DType.F32, 1000 + 4099 * i);
                }
            }
            if (step == 0) {
                reservedAfterFirst = backend.memoryStats().reservedBytes();
            }
        }
        assertEquals(reservedAfterFirst, backend.memoryStats().reservedBytes());
    }

    @Test
    void opsWithoutCudaKernelsFailLoudlyInsteadOfRunningOnTheCpu() {
        NDArray a = NDArray.zeros(DType.F32, Device.cuda(0), 4, 4);
        assertEquals(Device.cuda(0), a.device());
        // cumsum has no kernel yet (native/ABI.md, "Not yet written").
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> a.cumsum(0));
        assertTrue(e.getMessage().startsWith("not yet implemented on CUDA: reduction.cumsum"), e.getMessage());
    }

    @Test
    void weftsOwnKernelsLoadOrTheErrorSaysWhyNot() {
        boolean carried = KernelSources.bytes(getClass().getClassLoader(), KernelLibrary.FATBIN) != null
                || !KernelSources.read(getClass().getClassLoader(), KernelLibrary.SOURCES).isEmpty();
        if (carried) {
            assertFalse(backend.kernels() == null);
        } else {
            IllegalStateException e = assertThrows(IllegalStateException.class, backend::kernels);
            assertTrue(e.getMessage().startsWith("no CUDA kernels in this build"), e.getMessage());
        }
    }

    // --- helpers -------------------------------------------------------------------------------

    private static final Map<String, CudaKernel> KERNELS = new TreeMap<>();

    private static synchronized CudaKernel testKernel(String name) {
        return KERNELS.computeIfAbsent(name, k -> {
            var files = KernelSources.read(CudaDeviceTest.class.getClassLoader(), TEST_KERNELS);
            byte[] cubin = Nvrtc.compile("fill.cu", files.get("fill.cu"),
                    Map.of("testkernels.cuh", files.get("testkernels.cuh")), backend.gpu().arch());
            return CudaModule.load(backend.context(), cubin, "fill.cu (test)").find(k);
        });
    }

    private static void fill(CudaStorage out, float value, int n) {
        testKernel("weft_test_fill").launch("fill test", Dim3.blocksFor(n, 256), Dim3.of(256), 0, backend.stream(),
                out, value, n);
    }

    /** Sets every byte to 0xFF: a float NaN, so an element a kernel forgot stands out. */
    private static void poison(CudaStorage s) {
        backend.context().makeCurrent();
        CudaException.check(cudart.cuMemsetD8Async(s.address(), (byte) 0xFF, s.byteSize(), backend.stream().raw()),
                "cuMemsetD8Async");
    }

    private static float[] read(CudaStorage s, int n) {
        try (PinnedBuffer host = PinnedBuffer.allocate(backend.context(), 4L * n)) {
            host.copyFromDevice(s.address(), 4L * n, backend.stream());
            backend.stream().synchronize();
            FloatBuffer f = host.asByteBuffer().asFloatBuffer();
            float[] out = new float[n];
            f.get(out);
            return out;
        }
    }
}
