package org.weft.tensor.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The caching allocator's contract, checked against a fake device. */
class CachingAllocatorTest {

    private static final long MIB = 1L << 20;
    private static final long S = 0x51; // two stream handles
    private static final long T = 0x52;

    private final FakeDeviceMemory device = new FakeDeviceMemory(1L << 40);
    private final CachingAllocator alloc = new CachingAllocator("cuda:0", device);

    @Test
    void roundsSmallRequestsTo512BytesAndLargeOnesTo2MiB() {
        assertEquals(512, CachingAllocator.roundUp(0));
        assertEquals(512, CachingAllocator.roundUp(1));
        assertEquals(512, CachingAllocator.roundUp(512));
        assertEquals(1024, CachingAllocator.roundUp(513));
        assertEquals(MIB, CachingAllocator.roundUp(MIB));
        assertEquals(2 * MIB, CachingAllocator.roundUp(MIB + 1));
        assertEquals(6 * MIB, CachingAllocator.roundUp(5 * MIB + 3));
        assertEquals(6 * MIB, CachingAllocator.roundUp(6 * MIB));
    }

    @Test
    void smallBlocksAreCutFromOneSharedSegment() {
        Allocation a = alloc.allocate(100, S);
        Allocation b = alloc.allocate(700, S);
        assertEquals(512, a.size());
        assertEquals(1024, b.size());
        assertEquals(100, a.requested());
        assertEquals(1, device.mallocCalls);
        assertEquals(a.address() + 512, b.address());
        assertTrue(device.inside(a.address(), a.size()) && device.inside(b.address(), b.size()));
        AllocatorStats st = alloc.stats();
        assertEquals(1536, st.allocatedBytes());
        assertEquals(2 * MIB, st.reservedBytes());
        assertEquals(1, st.cacheHits(), "the second block came from the first one's segment");
    }

    @Test
    void aBlockFreedOnAStreamIsReusedByThatStreamAtOnce() {
        Allocation a = alloc.allocate(4 * MIB, S);
        long address = a.address();
        alloc.free(a);
        Allocation b = alloc.allocate(3 * MIB + 5, S); // rounds to the same 4 MiB class
        assertEquals(address, b.address());
        assertEquals(1, alloc.stats().deviceMallocs());
        assertEquals(1, alloc.stats().cacheHits());
        assertTrue(device.events.isEmpty(), "reuse on the same stream needs no event");
    }

    @Test
    void aLargeCachedBlockIsSplitAndItsRestServesTheNextRequest() {
        Allocation big = alloc.allocate(10 * MIB, S);
        long base = big.address();
        alloc.free(big);
        Allocation a = alloc.allocate(4 * MIB, S);
        Allocation b = alloc.allocate(6 * MIB, S);
        assertEquals(base, a.address());
        assertEquals(base + 4 * MIB, b.address());
        assertEquals(1, alloc.stats().deviceMallocs());
        assertEquals(10 * MIB, alloc.stats().reservedBytes());
        assertEquals(10 * MIB, alloc.stats().allocatedBytes());
    }

    @Test
    void freedNeighboursMergeBackIntoOneBlock() {
        Allocation big = alloc.allocate(10 * MIB, S);
        long base = big.address();
        alloc.free(big);
        Allocation a = alloc.allocate(4 * MIB, S);
        Allocation b = alloc.allocate(2 * MIB, S);
        Allocation c = alloc.allocate(4 * MIB, S);
        alloc.free(a);
        alloc.free(c);
        alloc.free(b); // joins both neighbours
        Allocation whole = alloc.allocate(10 * MIB, S);
        assertEquals(base, whole.address());
        assertEquals(1, alloc.stats().deviceMallocs());
    }

    @Test
    void smallRequestsNeverCutIntoLargeBlocks() {
        alloc.free(alloc.allocate(4 * MIB, S));
        Allocation small = alloc.allocate(1000, S);
        assertEquals(2, alloc.stats().deviceMallocs(), "a small request gets its own small segment");
        assertEquals(6 * MIB, alloc.stats().reservedBytes());
        assertEquals(1024, small.size());
    }

    @Test
    void largeRequestsNeverTakeSmallSegments() {
        alloc.free(alloc.allocate(1000, S)); // leaves a free 2 MiB small segment
        alloc.allocate(2 * MIB, S);
        assertEquals(2, alloc.stats().deviceMallocs());
    }

    @Test
    void statisticsCountRequestsHitsMallocsAndPeaks() {
        Allocation a = alloc.allocate(4 * MIB, S);
        Allocation b = alloc.allocate(2 * MIB, S);
        alloc.free(a);
        Allocation c = alloc.allocate(4 * MIB, S);
        alloc.free(b);
        alloc.free(c);
        AllocatorStats st = alloc.stats();
        assertEquals(3, st.requests());
        assertEquals(1, st.cacheHits());
        assertEquals(2, st.deviceMallocs());
        assertEquals(0, st.allocatedBytes());
        assertEquals(6 * MIB, st.reservedBytes());
        assertEquals(6 * MIB, st.cachedBytes());
        assertEquals(6 * MIB, st.peakAllocatedBytes());
        assertEquals(6 * MIB, st.peakReservedBytes());
        alloc.resetPeaks();
        alloc.allocate(2 * MIB, S);
        assertEquals(2 * MIB, alloc.stats().peakAllocatedBytes());
        assertEquals(6 * MIB, alloc.stats().peakReservedBytes(), "peaks restart from what is reserved now");
    }

    @Test
    void freeingTwiceIsAnErrorButScopesAndCleanersMayRace() {
        Allocation a = alloc.allocate(100, S);
        alloc.free(a);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> alloc.free(a));
        assertTrue(e.getMessage().contains("freed twice"), e.getMessage());
        alloc.freeIfLive(a); // no effect
        assertEquals(0, alloc.stats().allocatedBytes());
        IllegalStateException use = assertThrows(IllegalStateException.class, a::address);
        assertTrue(use.getMessage().contains("used after it was freed"), use.getMessage());
    }

    @Test
    void negativeSizesAreRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> alloc.allocate(-1, S));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
    }

    @Test
    void anotherStreamTakesAFreedBlockOnlyAfterACheckpointOnTheFreeingStreamCompleted() {
        Allocation a = alloc.allocate(4 * MIB, S);
        long address = a.address();
        alloc.free(a);

        Allocation t1 = alloc.allocate(4 * MIB, T);
        assertNotEquals(address, t1.address(), "S's kernels may still use the block");
        assertEquals(1, device.eventsOn(S).size(), "T's miss records a checkpoint on S");
        Allocation t2 = alloc.allocate(4 * MIB, T);
        assertNotEquals(address, t2.address());
        assertEquals(1, device.eventsOn(S).size(), "nothing freed since: the pending checkpoint covers it");

        device.completeEvents(S);
        Allocation t3 = alloc.allocate(4 * MIB, T);
        assertEquals(address, t3.address());
        assertEquals(T, t3.stream());
        assertEquals(1, alloc.stats().crossStreamReuses());
        assertEquals(3, alloc.stats().deviceMallocs());
        assertTrue(device.events.get(1L).destroyed, "a consumed checkpoint's event is destroyed");
    }

    @Test
    void aCheckpointDoesNotCoverBlocksFreedAfterIt() {
        Allocation a = alloc.allocate(4 * MIB, S);
        Allocation b = alloc.allocate(4 * MIB, S);
        long addressA = a.address();
        long addressB = b.address();
        alloc.free(a);
        alloc.allocate(4 * MIB, T); // records the checkpoint covering a
        alloc.free(b);              // freed after the checkpoint
        device.completeEvents(S);   // the checkpoint completes; b's kernels may not have
        assertEquals(addressA, alloc.allocate(4 * MIB, T).address());
        Allocation t = alloc.allocate(4 * MIB, T);
        assertNotEquals(addressB, t.address());
        assertEquals(2, device.eventsOn(S).size(), "a new checkpoint now covers b");
        device.completeEvents(S);
        assertEquals(addressB, alloc.allocate(4 * MIB, T).address());
    }

    @Test
    void theRestOfABorrowedBlockMergesWithTheBorrowersFreeNeighbour() {
        Allocation big = alloc.allocate(10 * MIB, S);
        long base = big.address();
        alloc.free(big);
        Allocation s1 = alloc.allocate(8 * MIB, S);  // [s1 0-8][S free 8-10]
        Allocation s2 = alloc.allocate(2 * MIB, S);  // [s1 0-8][s2 8-10]
        alloc.free(s2);
        alloc.allocate(2 * MIB, T);                  // T misses: a checkpoint on S, a segment of its own
        device.completeEvents(S);
        Allocation t1 = alloc.allocate(2 * MIB, T);  // borrows 8-10
        assertEquals(base + 8 * MIB, t1.address());
        alloc.free(t1);                              // [s1 0-8][T free 8-10]
        alloc.free(s1);                              // [S free 0-8][T free 8-10]: different streams, unmerged
        alloc.verify();
        alloc.allocate(4 * MIB, T);                  // 8-10 is too small; S's block needs a new checkpoint
        device.completeEvents(S);
        Allocation t3 = alloc.allocate(4 * MIB, T);  // borrows 0-8: [t3 0-4][rest 4-8][T free 8-10]
        assertEquals(base, t3.address());
        alloc.verify();                              // the rest merged into [T free 4-10]
        long mallocs = alloc.stats().deviceMallocs();
        Allocation t4 = alloc.allocate(6 * MIB, T);
        assertEquals(base + 4 * MIB, t4.address());
        assertEquals(mallocs, alloc.stats().deviceMallocs());
    }

    @Test
    void threadsMayAllocateAndFreeConcurrently() throws Exception {
        Thread[] threads = new Thread[4];
        Throwable[] failure = new Throwable[1];
        for (int t = 0; t < threads.length; t++) {
            long stream = t % 2 == 0 ? S : T;
            int seed = t;
            threads[t] = new Thread(() -> {
                Random rnd = new Random(seed);
                List<Allocation> mine = new ArrayList<>();
                try {
                    for (int i = 0; i < 5000; i++) {
                        if (mine.isEmpty() || rnd.nextBoolean()) {
                            mine.add(alloc.allocate(1 + rnd.nextInt(3 * (int) MIB), stream));
                        } else {
                            alloc.free(mine.remove(rnd.nextInt(mine.size())));
                        }
                    }
                    mine.forEach(alloc::free);
                } catch (Throwable e) {
                    synchronized (failure) {
                        failure[0] = e;
                    }
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failure[0] != null) {
            throw new AssertionError(failure[0]);
        }
        alloc.verify();
        assertEquals(0, alloc.stats().allocatedBytes());
        alloc.emptyCache();
        assertEquals(0, device.used());
    }

    @Test
    void emptyCacheReturnsOnlyEntirelyFreeSegments() {
        Allocation x = alloc.allocate(1000, S);
        Allocation y = alloc.allocate(1000, S);
        Allocation big = alloc.allocate(4 * MIB, S);
        alloc.free(x);
        alloc.free(big);
        assertEquals(4 * MIB, alloc.emptyCache(), "the small segment still holds y");
        assertEquals(2 * MIB, alloc.stats().reservedBytes());
        assertEquals(2 * MIB, device.used());
        assertEquals(1, alloc.stats().deviceFrees());
        alloc.free(y);
        assertEquals(2 * MIB, alloc.emptyCache());
        assertEquals(0, alloc.stats().reservedBytes());
        assertTrue(device.segments.isEmpty());
        Allocation again = alloc.allocate(1000, S);
        assertTrue(device.inside(again.address(), again.size()), "the allocator works on after emptying");
    }

    @Test
    void afterEmptyCacheEveryCachedBlockIsSafeForEveryStream() {
        Allocation whole = alloc.allocate(8 * MIB, S);
        long base = whole.address();
        alloc.free(whole);
        alloc.allocate(4 * MIB, S); // keeps the segment partly used: emptyCache cannot return it
        alloc.emptyCache();         // synchronises the device
        Allocation t = alloc.allocate(4 * MIB, T);
        assertEquals(base + 4 * MIB, t.address());
        assertEquals(1, alloc.stats().deviceMallocs());
    }

    @Test
    void outOfMemoryReturnsTheCacheAndRetriesOnce() {
        FakeDeviceMemory small = new FakeDeviceMemory(8 * MIB);
        CachingAllocator a = new CachingAllocator("cuda:0", small);
        a.free(a.allocate(4 * MIB, S));
        Allocation six = a.allocate(6 * MIB, S);
        assertTrue(small.inside(six.address(), six.size()));
        AllocatorStats st = a.stats();
        assertEquals(1, st.oomRetries());
        assertEquals(1, st.deviceFrees());
        assertEquals(6 * MIB, st.reservedBytes());
        assertEquals(1, small.synchronizeCalls, "cached blocks are returned only once the device is idle");
    }

    @Test
    void outOfMemoryErrorNamesTheRequestAndWhatIsHeld() {
        FakeDeviceMemory small = new FakeDeviceMemory(8 * MIB);
        CachingAllocator a = new CachingAllocator("cuda:1", small);
        a.allocate(6 * MIB, S);
        a.allocate(MIB, S); // a 1 MiB small block of a 2 MiB segment: 1 MiB stays cached
        OutOfDeviceMemoryException e = assertThrows(OutOfDeviceMemoryException.class,
                () -> a.allocate(3 * MIB, S));
        String m = e.getMessage();
        assertTrue(m.startsWith("CUDA out of memory on cuda:1: tried to allocate 3.00 MiB (3145728 bytes,"
                + " a block of 4.00 MiB)."), m);
        assertTrue(m.contains("7.00 MiB allocated"), m);
        assertTrue(m.contains("8.00 MiB reserved"), m);
        assertTrue(m.contains("largest free cached block is 1.00 MiB"), m);
        assertEquals(3 * MIB, e.requestedBytes());
        assertEquals(2, small.failedMallocs, "one retry, no more");
        assertEquals(7 * MIB, a.stats().allocatedBytes(), "a failed request changes nothing");
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 2026})
    void randomWorkOnThreeStreamsNeverOverlapsAndNeverRacesAcrossStreams(long seed) {
        Random rnd = new Random(seed);
        FakeDeviceMemory dev = new FakeDeviceMemory(96 * MIB);
        CachingAllocator a = new CachingAllocator("cuda:0", dev);
        long[] streams = {0, S, T};
        List<Allocation> live = new ArrayList<>();
        List<long[]> freed = new ArrayList<>(); // {address, size, stream, time}: memory last used on stream
        long lastSync = -1;
        int ooms = 0;
        for (int step = 0; step < 4000; step++) {
            int op = rnd.nextInt(10);
            if (op < 5 || live.isEmpty()) {
                long stream = streams[rnd.nextInt(3)];
                long bytes = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(12 * (int) MIB) : rnd.nextInt(300_000);
                int syncsBefore = dev.synchronizeCalls;
                Allocation x;
                try {
                    x = a.allocate(bytes, stream);
                } catch (OutOfDeviceMemoryException e) {
                    ooms++;
                    if (dev.synchronizeCalls > syncsBefore) {
                        lastSync = ++dev.clock;
                    }
                    continue;
                }
                if (dev.synchronizeCalls > syncsBefore) {
                    lastSync = ++dev.clock;
                }
                assertTrue(x.size() >= bytes);
                assertTrue(dev.inside(x.address(), x.size()), "a block lies inside a live device segment");
                for (Allocation y : live) {
                    boolean overlap = x.address() < y.address() + y.size() && y.address() < x.address() + x.size();
                    assertFalse(overlap, "live blocks overlap");
                }
                for (Iterator<long[]> it = freed.iterator(); it.hasNext(); ) {
                    long[] f = it.next();
                    boolean overlap = x.address() < f[0] + f[1] && f[0] < x.address() + x.size();
                    if (!overlap) {
                        continue;
                    }
                    if (f[2] != stream) {
                        boolean safe = lastSync > f[3];
                        for (FakeDeviceMemory.Event ev : dev.eventsOn(f[2])) {
                            safe |= ev.completed && ev.recordedAt > f[3];
                        }
                        assertTrue(safe, "memory freed on stream " + f[2] + " handed to stream " + stream
                                + " before the GPU was known to be done with it");
                    }
                    it.remove();
                }
                live.add(x);
            } else if (op < 9) {
                Allocation x = live.remove(rnd.nextInt(live.size()));
                long address = x.address();
                a.free(x);
                freed.add(new long[] {address, x.size(), x.stream(), ++dev.clock});
            } else {
                dev.completeEvents(streams[rnd.nextInt(3)]);
            }
            a.verify();
            long sum = 0;
            for (Allocation y : live) {
                sum += y.size();
            }
            AllocatorStats st = a.stats();
            assertEquals(sum, st.allocatedBytes());
            assertEquals(dev.used(), st.reservedBytes());
            assertTrue(st.reservedBytes() <= 96 * MIB);
        }
        assertTrue(a.stats().crossStreamReuses() > 0, "the run exercised cross-stream reuse");
        assertTrue(ooms > 0 && a.stats().oomRetries() > 0, "the run exercised out-of-memory");
        for (Allocation y : live) {
            a.free(y);
        }
        a.emptyCache();
        assertEquals(0, dev.used(), "after freeing everything, emptyCache returns every segment");
        assertEquals(0, a.stats().reservedBytes());
    }
}
