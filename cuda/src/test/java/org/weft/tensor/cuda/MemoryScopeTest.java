package org.weft.tensor.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.weft.tensor.DType;
import org.weft.tensor.Device;
import org.weft.tensor.MemoryScope;
import org.weft.tensor.NDArray;

/** The step scope over device storage, with the allocator on a fake device. */
@SuppressWarnings("try") // scopes are opened for their effect, not referenced
class MemoryScopeTest {

    private static final long STREAM = 7;

    private final FakeDeviceMemory device = new FakeDeviceMemory(1L << 40);
    private final CachingAllocator alloc = new CachingAllocator("cuda:0", device);

    private CudaStorage storage(int floats) {
        return new CudaStorage(Device.cuda(0), DType.F32, floats, alloc, STREAM);
    }

    @Test
    void closingAScopeReleasesEverythingAllocatedInIt() {
        CudaStorage outside = storage(10);
        CudaStorage a;
        CudaStorage b;
        try (var step = MemoryScope.open()) {
            a = storage(1000);
            b = storage(300_000);
            assertEquals(2, step.heldCount());
            assertEquals(512 + 4096 + (2L << 20), alloc.stats().allocatedBytes());
        }
        assertTrue(a.isReleased() && b.isReleased());
        assertFalse(outside.isReleased(), "storage made outside every scope is not the scope's");
        assertEquals(512, alloc.stats().allocatedBytes());
        assertNull(MemoryScope.current());
    }

    @Test
    void usingStorageAfterItsScopeClosedFailsWithAMessage() {
        CudaStorage a;
        try (var step = MemoryScope.open()) {
            a = storage(256);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, a::address);
        assertTrue(e.getMessage().contains("cuda:0 storage of 256 F32 elements was used after it was released"),
                e.getMessage());
        assertTrue(e.getMessage().contains("MemoryScope.keep"), e.getMessage());
    }

    @Test
    void keptStorageOutlivesTheScopeAndMovesToTheEnclosingOne() {
        CudaStorage kept;
        try (var epoch = MemoryScope.open()) {
            try (var step = MemoryScope.open()) {
                kept = storage(64);
                step.keep(kept);
                assertEquals(0, step.heldCount());
                assertEquals(1, epoch.heldCount());
            }
            assertFalse(kept.isReleased());
        }
        assertTrue(kept.isReleased(), "the enclosing scope released it when it closed");
    }

    @Test
    void keepingAHostArrayIsHarmlessAndKeepingSomethingForeignIsAnError() {
        CudaStorage outside = storage(8);
        try (var step = MemoryScope.open()) {
            NDArray host = NDArray.zeros(DType.F32, Device.CPU, 2, 3);
            assertSame(host, step.keep(host));
            var e = assertThrows(IllegalArgumentException.class, () -> step.keep(outside));
            assertTrue(e.getMessage().contains("not allocated in this scope"), e.getMessage());
        }
        assertFalse(outside.isReleased());
    }

    @Test
    void allocationsInAPersistentRegionBelongToNoScope() {
        CudaStorage state;
        try (var step = MemoryScope.open()) {
            try (var keep = MemoryScope.persistent()) {
                state = storage(128); // e.g. optimiser moments created on the first step
            }
            storage(128);
            assertEquals(1, step.heldCount());
        }
        assertFalse(state.isReleased());
    }

    @Test
    void earlyReleaseIsForgottenByTheScopeAndReleasingTwiceIsHarmless() {
        try (var step = MemoryScope.open()) {
            CudaStorage a = storage(100);
            a.release();
            a.release();
            assertTrue(a.isReleased());
            assertEquals(0, step.heldCount());
        }
        assertEquals(0, alloc.stats().allocatedBytes());
    }

    @Test
    void scopesMustCloseInReverseOrderOnTheirOwnThread() throws Exception {
        MemoryScope outer = MemoryScope.open();
        MemoryScope inner = MemoryScope.open();
        var e = assertThrows(IllegalStateException.class, outer::close);
        assertTrue(e.getMessage().contains("reverse order"), e.getMessage());
        AtomicReference<Throwable> fromOther = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                inner.close();
            } catch (Throwable x) {
                fromOther.set(x);
            }
        });
        t.start();
        t.join();
        assertTrue(fromOther.get() instanceof IllegalStateException);
        assertTrue(fromOther.get().getMessage().contains("thread that opened it"));
        inner.close();
        outer.close();
        assertNull(MemoryScope.current());
    }

    @Test
    void manyStepsKeepDeviceMemoryFlat() {
        CudaStorage weights = storage(1 << 20); // a parameter: 4 MiB, outside every scope
        AllocatorStats afterFirst = null;
        for (int step = 0; step < 200; step++) {
            try (var s = MemoryScope.open()) {
                for (int i = 0; i < 20; i++) {
                    storage(1000 + 37 * i);          // activations of varied sizes
                    storage((1 << 19) + 4096 * i);   // and a few large buffers
                }
            }
            if (step == 0) {
                afterFirst = alloc.stats();
            }
        }
        AllocatorStats last = alloc.stats();
        assertEquals(afterFirst.reservedBytes(), last.reservedBytes(), "reserved memory stays flat");
        assertEquals(afterFirst.deviceMallocs(), last.deviceMallocs(), "steady state needs no device malloc");
        assertEquals(4L << 20, last.allocatedBytes(), "only the parameter stays allocated");
        assertFalse(weights.isReleased());
    }

    @Test
    void theCleanerReturnsForgottenStorageAsASafetyNet() throws Exception {
        storage(4096);
        storage(1 << 21);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (alloc.stats().allocatedBytes() != 0 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(10);
        }
        assertEquals(0, alloc.stats().allocatedBytes());
    }
}
