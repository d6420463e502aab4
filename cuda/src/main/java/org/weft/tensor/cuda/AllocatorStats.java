package org.weft.tensor.cuda;

/**
 * A snapshot of a {@link CachingAllocator}'s counters (sizes are the rounded block sizes the
 * allocator hands out, not the bytes callers asked for).
 *
 * @param allocatedBytes     held by live allocations
 * @param reservedBytes      got from the device and not returned: allocated plus cached
 * @param peakAllocatedBytes the most ever allocated at once (since the last reset)
 * @param peakReservedBytes  the most ever reserved at once (since the last reset)
 * @param requests           calls to allocate
 * @param cacheHits          requests served from cached blocks, without a device malloc
 * @param crossStreamReuses  cache hits on a block last used by another stream
 * @param deviceMallocs      successful device mallocs (cudaMalloc calls)
 * @param deviceFrees        device frees (cache releases)
 * @param oomRetries         device mallocs that failed and were retried after releasing the cache
 */
public record AllocatorStats(long allocatedBytes, long reservedBytes, long peakAllocatedBytes,
                             long peakReservedBytes, long requests, long cacheHits, long crossStreamReuses,
                             long deviceMallocs, long deviceFrees, long oomRetries) {

    /** Reserved but not allocated: the cache. */
    public long cachedBytes() {
        return reservedBytes - allocatedBytes;
    }

    @Override
    public String toString() {
        return "allocated " + ByteSizes.format(allocatedBytes) + ", reserved " + ByteSizes.format(reservedBytes)
                + ", peak allocated " + ByteSizes.format(peakAllocatedBytes) + ", peak reserved "
                + ByteSizes.format(peakReservedBytes) + "; " + requests + " requests, " + cacheHits
                + " cache hits (" + crossStreamReuses + " across streams), " + deviceMallocs + " device mallocs, "
                + deviceFrees + " device frees, " + oomRetries + " out-of-memory retries";
    }
}
