package org.weft.tensor.cuda;

/**
 * The few device operations the {@link CachingAllocator} needs, so that its logic can be
 * tested without a GPU: the real implementation ({@link DriverMemory}) calls the CUDA driver,
 * tests use a fake.
 *
 * <p>Streams and events are identified by their handles as plain numbers ({@code CUstream}
 * and {@code CUevent} addresses; stream 0 is the legacy default stream).
 */
interface DeviceMemory {

    /** Reserves {@code bytes} of device memory; 0 when the device has no room (cuMemAlloc's out of memory). */
    long malloc(long bytes);

    /** Returns memory got from {@link #malloc}. */
    void free(long address);

    /** Records an event that completes once every piece of work queued on {@code stream} so far has run. */
    long recordEvent(long stream);

    /** Whether the event has completed; never waits. */
    boolean eventCompleted(long event);

    void destroyEvent(long event);

    /** Waits until all work queued on the device has run. */
    void synchronize();
}
