package org.weft.tensor.cuda;

/**
 * One live piece of device memory handed out by a {@link CachingAllocator}: its address, its
 * rounded size and the stream it is used on. Returned with {@link CachingAllocator#free}.
 *
 * <p>Each allocation is a new object, never recycled, so a stale handle (a safety-net
 * cleaner firing late, a scope closing) can never free memory that now belongs to someone else.
 */
final class Allocation {

    // The allocator's block while this allocation is live; after free, the block may be merged
    // or handed to someone else, so nothing reads it again (every path checks released first).
    final CachingAllocator.Block block;
    private final long address;
    private final long size;
    private final long requested;
    private final long stream;
    private volatile boolean released;

    Allocation(CachingAllocator.Block block, long requested) {
        this.block = block;
        this.address = block.address;
        this.size = block.size;
        this.requested = requested;
        this.stream = block.stream;
    }

    /** The device address; fails once the allocation was freed, so freed memory is never used. */
    long address() {
        if (released) {
            throw new IllegalStateException(this + " used after it was freed");
        }
        return address;
    }

    /** "device memory at 0x7f0000200000 (4.00 MiB)", as errors name it. */
    @Override
    public String toString() {
        return "device memory at 0x" + Long.toHexString(address) + " (" + ByteSizes.format(size) + ")";
    }

    /** The rounded size the allocator reserved for it, at least {@link #requested()}. */
    long size() {
        return size;
    }

    long requested() {
        return requested;
    }

    /** The stream the memory is used on; freeing makes it reusable by that stream at once. */
    long stream() {
        return stream;
    }

    boolean isReleased() {
        return released;
    }

    void markReleased() {
        released = true;
    }
}
