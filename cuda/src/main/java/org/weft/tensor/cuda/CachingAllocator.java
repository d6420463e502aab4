package org.weft.tensor.cuda;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Device memory for one GPU: blocks cut from large device allocations and cached for reuse,
 * because cudaMalloc and cudaFree are slow (they synchronise the device) and a training
 * step allocates and frees the same sizes thousands of times.
 *
 * <p><b>Size classes.</b> A request is rounded up to a block size: to a multiple of 512 bytes
 * up to 1 MiB ({@link #SMALL_LIMIT}), to a multiple of 2 MiB above. Small blocks are cut from
 * 2 MiB segments (one device malloc serves up to 4096 of them); a large block is its own
 * segment when first allocated. A cached block bigger than a request is split and the rest
 * stays cached; a freed block merges with free neighbours of its segment, so splitting does
 * not fragment memory for good. Small and large blocks never mix, so small temporaries
 * cannot pin down the middle of a large segment.
 *
 * <p><b>Stream order.</b> The GPU runs a stream's work in order, so a block freed on stream S
 * can be handed to the next request on S at once: the new owner's kernels are queued behind
 * the old owner's. Another stream T could run ahead and overwrite memory S's queued kernels
 * still read, so T may take a block freed on S only once an event recorded on S after the
 * free has completed. Events are recorded lazily: only when T finds nothing of its own and
 * S holds a block T could use, one event (a "checkpoint") covers every block S freed before it.
 *
 * <p><b>Out of memory.</b> When the device refuses a malloc, the allocator waits for the
 * device, returns every entirely free cached segment and retries once; if that fails too it
 * throws an {@link OutOfDeviceMemoryException} naming the request and what it holds.
 *
 * <p>All methods are synchronised: a Cleaner (the safety net of forgotten storage) may free
 * from its own thread.
 */
final class CachingAllocator {

    /** Rounding granularity of small blocks. */
    static final long SMALL_ROUND = 512;
    /** Requests up to this size are small blocks. */
    static final long SMALL_LIMIT = 1L << 20;
    /** Size of the segments small blocks are cut from, and rounding granularity of large blocks. */
    static final long SEGMENT = 2L << 20;

    private final String deviceName;
    private final DeviceMemory memory;

    private final Pool small = new Pool("small");
    private final Pool large = new Pool("large");
    private final Map<Long, StreamState> streams = new LinkedHashMap<>();
    private final Set<Segment> segments = new LinkedHashSet<>();
    // Ordinal of the latest free: a checkpoint covers every block whose freeOrdinal is not larger.
    private long freeCounter;

    private long allocated;
    private long reserved;
    private long peakAllocated;
    private long peakReserved;
    private long requests;
    private long cacheHits;
    private long crossStreamReuses;
    private long deviceMallocs;
    private long deviceFrees;
    private long oomRetries;

    CachingAllocator(String deviceName, DeviceMemory memory) {
        this.deviceName = deviceName;
        this.memory = memory;
    }

    /** The block size a request of {@code bytes} gets. */
    static long roundUp(long bytes) {
        if (bytes <= SMALL_LIMIT) {
            return Math.max(SMALL_ROUND, ceilTo(bytes, SMALL_ROUND));
        }
        return ceilTo(bytes, SEGMENT);
    }

    private static long ceilTo(long n, long multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }

    /** Device memory of at least {@code bytes} to be used on {@code stream}. */
    synchronized Allocation allocate(long bytes, long stream) {
        if (bytes < 0) {
            throw new IllegalArgumentException("allocate: size must be non-negative, got " + bytes);
        }
        long size = roundUp(bytes);
        Pool pool = size <= SMALL_LIMIT ? small : large;
        requests++;
        streamState(stream);
        Block b = pool.bestFit(stream, size, Long.MAX_VALUE);
        if (b != null) {
            cacheHits++;
            pool.remove(b);
        } else {
            b = borrow(pool, stream, size);
            if (b != null) {
                cacheHits++;
                crossStreamReuses++;
            } else {
                b = newSegment(pool, stream, size, bytes);
            }
        }
        b.allocated = true;
        if (b.size > size) {
            // The rest stays cached for this stream. A block borrowed from another stream may
            // now border a free block of this one: merge them, as a free would have.
            pool.add(mergeWithFreeNeighbours(pool, b.splitOff(size)));
        }
        allocated += b.size;
        peakAllocated = Math.max(peakAllocated, allocated);
        return new Allocation(b, bytes);
    }

    /** Gives {@code a} back: reusable by its stream at once, by other streams after a checkpoint. */
    synchronized void free(Allocation a) {
        if (a.isReleased()) {
            throw new IllegalStateException(a + " freed twice");
        }
        release(a);
    }

    /** Frees {@code a} unless it was freed already: for scopes and cleaners, which may race. */
    synchronized void freeIfLive(Allocation a) {
        if (!a.isReleased()) {
            release(a);
        }
    }

    private void release(Allocation a) {
        a.markReleased();
        Block b = a.block;
        b.allocated = false;
        allocated -= b.size;
        b.freeOrdinal = ++freeCounter;
        Pool pool = b.segment.pool;
        b = mergeWithFreeNeighbours(pool, b);
        pool.add(b);
    }

    private static Block mergeWithFreeNeighbours(Pool pool, Block b) {
        Block p = b.prev;
        if (p != null && !p.allocated && p.stream == b.stream) {
            pool.remove(p);
            p.size += b.size;
            p.freeOrdinal = Math.max(p.freeOrdinal, b.freeOrdinal);
            p.next = b.next;
            if (b.next != null) {
                b.next.prev = p;
            }
            b = p;
        }
        Block n = b.next;
        if (n != null && !n.allocated && n.stream == b.stream) {
            pool.remove(n);
            b.size += n.size;
            b.freeOrdinal = Math.max(b.freeOrdinal, n.freeOrdinal);
            b.next = n.next;
            if (n.next != null) {
                n.next.prev = b;
            }
        }
        return b;
    }

    /**
     * A cached block of another stream that {@code stream} may safely take, or null; records a
     * checkpoint on a stream whose blocks would fit but are not yet known to be safe.
     */
    private Block borrow(Pool pool, long stream, long size) {
        Block best = null;
        for (StreamState s : streams.values()) {
            if (s.stream == stream || !pool.hasAny(s.stream)) {
                continue;
            }
            s.poll(memory);
            Block b = pool.bestFit(s.stream, size, s.safeOrdinal);
            if (b != null && (best == null || b.size < best.size)) {
                best = b;
            }
            if (b == null && s.lastCheckpoint < freeCounter && pool.bestFit(s.stream, size, Long.MAX_VALUE) != null) {
                s.checkpoint(memory, freeCounter);
            }
        }
        if (best == null) {
            return null;
        }
        pool.remove(best);
        best.stream = stream;
        return best;
    }

    private Block newSegment(Pool pool, long stream, long size, long requested) {
        long segmentSize = pool == small ? SEGMENT : size;
        long address = memory.malloc(segmentSize);
        if (address == 0) {
            oomRetries++;
            releaseCachedSegments();
            address = memory.malloc(segmentSize);
            if (address == 0) {
                throw outOfMemory(requested, size);
            }
        }
        deviceMallocs++;
        reserved += segmentSize;
        peakReserved = Math.max(peakReserved, reserved);
        Segment seg = new Segment(address, segmentSize, pool);
        seg.head = new Block(seg, address, segmentSize, stream);
        segments.add(seg);
        return seg.head;
    }

    private StreamState streamState(long stream) {
        return streams.computeIfAbsent(stream, StreamState::new);
    }

    /**
     * Waits for the device, then returns every cached segment that is entirely free to it;
     * segments with any live block stay. The memory of live allocations is never touched.
     *
     * @return the number of bytes given back
     */
    synchronized long emptyCache() {
        return releaseCachedSegments();
    }

    private long releaseCachedSegments() {
        // A free block may still be read by kernels queued before it was freed; after
        // synchronize nothing is queued, so every free block is safe for every stream, and free
        // neighbours that different streams had cached can finally merge.
        memory.synchronize();
        for (StreamState s : streams.values()) {
            s.allSafe(memory, freeCounter);
        }
        long released = 0;
        for (var it = segments.iterator(); it.hasNext(); ) {
            Segment seg = it.next();
            for (Block b = seg.head; b != null; b = b.next) {
                if (b.allocated) {
                    continue;
                }
                seg.pool.remove(b);
                while (b.next != null && !b.next.allocated) {
                    Block n = b.next;
                    seg.pool.remove(n);
                    b.size += n.size;
                    b.next = n.next;
                    if (n.next != null) {
                        n.next.prev = b;
                    }
                }
                if (b.isWholeSegment()) {
                    memory.free(seg.address);
                    reserved -= seg.size;
                    deviceFrees++;
                    released += seg.size;
                    it.remove();
                } else {
                    seg.pool.add(b);
                }
            }
        }
        return released;
    }

    /**
     * Checks the allocator's structure, for tests: blocks tile each segment in address order,
     * free blocks are in their stream's free list and allocated ones are not, free neighbours
     * of one stream are merged, and the counters match the blocks.
     */
    synchronized void verify() {
        long sumReserved = 0;
        long sumAllocated = 0;
        for (Segment seg : segments) {
            sumReserved += seg.size;
            long at = seg.address;
            Block prev = null;
            for (Block b = seg.head; b != null; b = b.next) {
                check(b.segment == seg && b.prev == prev && b.address == at && b.size > 0, "blocks tile the segment", b);
                check(b.allocated != seg.pool.contains(b), "a block is in a free list exactly when free", b);
                if (prev != null) {
                    check(prev.allocated || b.allocated || prev.stream != b.stream, "free neighbours merge", b);
                }
                if (b.allocated) {
                    sumAllocated += b.size;
                }
                at += b.size;
                prev = b;
            }
            check(at == seg.address + seg.size, "blocks cover the whole segment", seg.head);
        }
        check(sumReserved == reserved, "reserved is the sum of the segments", null);
        check(sumAllocated == allocated, "allocated is the sum of the allocated blocks", null);
        check(small.count() + large.count() == countFree(), "free lists hold only blocks of live segments", null);
    }

    private long countFree() {
        long n = 0;
        for (Segment seg : segments) {
            for (Block b = seg.head; b != null; b = b.next) {
                n += b.allocated ? 0 : 1;
            }
        }
        return n;
    }

    private static void check(boolean ok, String what, Block b) {
        if (!ok) {
            throw new IllegalStateException("allocator invariant broken: " + what
                    + (b == null ? "" : " (block 0x" + Long.toHexString(b.address) + ", " + b.size + " bytes)"));
        }
    }

    synchronized AllocatorStats stats() {
        return new AllocatorStats(allocated, reserved, peakAllocated, peakReserved, requests, cacheHits,
                crossStreamReuses, deviceMallocs, deviceFrees, oomRetries);
    }

    /** Restarts the peaks from the current values, as torch.cuda.reset_peak_memory_stats. */
    synchronized void resetPeaks() {
        peakAllocated = allocated;
        peakReserved = reserved;
    }

    private OutOfDeviceMemoryException outOfMemory(long requested, long size) {
        long largestFree = Math.max(small.largestFree(), large.largestFree());
        String msg = "CUDA out of memory on " + deviceName + ": tried to allocate " + ByteSizes.format(requested)
                + " (" + requested + " bytes, a block of " + ByteSizes.format(size) + ")."
                + " This allocator holds " + ByteSizes.format(allocated) + " allocated to live arrays and "
                + ByteSizes.format(reserved) + " reserved from the device; the largest free cached block is "
                + ByteSizes.format(largestFree) + ". Its cache was returned to the device before this error."
                + " Release arrays you no longer need (close the step's MemoryScope) or make the batch smaller.";
        return new OutOfDeviceMemoryException(msg, requested);
    }

    /** A device allocation that blocks are cut from, in address order from {@code head}. */
    static final class Segment {
        final long address;
        final long size;
        final Pool pool;
        Block head; // the block at the segment's address; merges and splits keep this object first

        Segment(long address, long size, Pool pool) {
            this.address = address;
            this.size = size;
            this.pool = pool;
        }
    }

    /** A piece of a segment: allocated, or cached and free for its stream. */
    static final class Block {
        final Segment segment;
        long address;
        long size;
        long stream;
        boolean allocated;
        long freeOrdinal;
        Block prev;
        Block next;

        Block(Segment segment, long address, long size, long stream) {
            this.segment = segment;
            this.address = address;
            this.size = size;
            this.stream = stream;
        }

        /** Shrinks this block to {@code keep} bytes and returns the free rest, linked after it. */
        Block splitOff(long keep) {
            Block rest = new Block(segment, address + keep, size - keep, stream);
            rest.freeOrdinal = freeOrdinal;
            rest.prev = this;
            rest.next = next;
            if (next != null) {
                next.prev = rest;
            }
            next = rest;
            size = keep;
            return rest;
        }

        boolean isWholeSegment() {
            return prev == null && next == null;
        }
    }

    /** The free blocks of one size class, per stream, ordered for best fit. */
    static final class Pool {
        private static final Comparator<Block> BY_SIZE_THEN_ADDRESS =
                Comparator.<Block>comparingLong(b -> b.size).thenComparingLong(b -> b.address);

        final String name;
        private final Map<Long, TreeSet<Block>> free = new LinkedHashMap<>();

        Pool(String name) {
            this.name = name;
        }

        boolean hasAny(long stream) {
            TreeSet<Block> set = free.get(stream);
            return set != null && !set.isEmpty();
        }

        /** The smallest free block of {@code stream} of at least {@code size} freed no later than {@code maxOrdinal}. */
        Block bestFit(long stream, long size, long maxOrdinal) {
            TreeSet<Block> set = free.get(stream);
            if (set == null) {
                return null;
            }
            Block probe = new Block(null, Long.MIN_VALUE, size, stream);
            for (Block b : set.tailSet(probe, true)) {
                if (b.freeOrdinal <= maxOrdinal) {
                    return b;
                }
            }
            return null;
        }

        void add(Block b) {
            free.computeIfAbsent(b.stream, s -> new TreeSet<>(BY_SIZE_THEN_ADDRESS)).add(b);
        }

        void remove(Block b) {
            TreeSet<Block> set = free.get(b.stream);
            if (set == null || !set.remove(b)) {
                throw new IllegalStateException("allocator bug: block 0x" + Long.toHexString(b.address)
                        + " missing from the " + name + " free list of stream " + b.stream);
            }
        }

        boolean contains(Block b) {
            TreeSet<Block> set = free.get(b.stream);
            return set != null && set.contains(b);
        }

        long count() {
            long n = 0;
            for (TreeSet<Block> set : free.values()) {
                n += set.size();
            }
            return n;
        }

        long largestFree() {
            long max = 0;
            for (TreeSet<Block> set : free.values()) {
                if (!set.isEmpty()) {
                    max = Math.max(max, set.last().size);
                }
            }
            return max;
        }
    }

    /** What the allocator knows about one stream: the checkpoints recorded on it. */
    static final class StreamState {
        final long stream;
        // {event, free ordinal it covers}, oldest first; they complete in order on one stream.
        private final ArrayDeque<long[]> pending = new ArrayDeque<>();
        long safeOrdinal;
        long lastCheckpoint;

        StreamState(long stream) {
            this.stream = stream;
        }

        void checkpoint(DeviceMemory memory, long coversUpTo) {
            pending.addLast(new long[] {memory.recordEvent(stream), coversUpTo});
            lastCheckpoint = coversUpTo;
        }

        void poll(DeviceMemory memory) {
            while (!pending.isEmpty() && memory.eventCompleted(pending.peekFirst()[0])) {
                long[] cp = pending.pollFirst();
                memory.destroyEvent(cp[0]);
                safeOrdinal = Math.max(safeOrdinal, cp[1]);
            }
        }

        /** After a device synchronise: every block freed so far is safe for any stream. */
        void allSafe(DeviceMemory memory, long freeCounter) {
            for (long[] cp : pending) {
                memory.destroyEvent(cp[0]);
            }
            pending.clear();
            safeOrdinal = freeCounter;
            lastCheckpoint = freeCounter;
        }
    }
}
