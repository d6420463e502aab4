package org.weft.tensor;

/**
 * Memory that can be given back before the garbage collector finds it unreachable: device
 * storage, whose cost the collector does not see.
 *
 * <p>{@link MemoryScope} releases the ones made inside it; releasing twice is harmless.
 */
public interface Releasable {

    /** Returns the memory to its allocator; any later use of it fails with a clear error. */
    void release();

    boolean isReleased();
}
