package org.weft.tensor.cuda;

import java.lang.ref.Cleaner;
import org.weft.tensor.DType;
import org.weft.tensor.Device;
import org.weft.tensor.MemoryScope;
import org.weft.tensor.Releasable;
import org.weft.tensor.Storage;

/**
 * Device storage: a block of a GPU's {@link CachingAllocator}.
 *
 * <p>It is released deterministically by the {@link MemoryScope} it was made in, or by
 * {@link #release()}; a {@link Cleaner} returns it when it becomes unreachable unreleased,
 * but only as a safety net: the collector does not feel device memory and may run late.
 * Using released storage fails with a message instead of reading memory that now belongs
 * to another array.
 */
final class CudaStorage extends Storage implements Releasable {

    private static final Cleaner CLEANER = Cleaner.create();

    private final Device device;
    private final Allocation allocation;
    private final MemoryScope scope;
    private final Cleaner.Cleanable cleanable;

    /** Uninitialised device storage for {@code length} elements, used on {@code stream}. */
    CudaStorage(Device device, DType dtype, int length, CachingAllocator allocator, long stream) {
        super(dtype, length);
        this.device = device;
        this.allocation = allocator.allocate((long) length * dtype.byteSize(), stream);
        // The action must not reach this object, or it would never become unreachable.
        this.cleanable = CLEANER.register(this, new FreeAction(allocator, allocation));
        this.scope = MemoryScope.track(this);
    }

    @Override
    public Device device() {
        return device;
    }

    /** The device address of element 0; fails once released. */
    long address() {
        if (allocation.isReleased()) {
            throw new IllegalStateException(device + " storage of " + length() + " " + dtype()
                    + " elements was used after it was released (its MemoryScope closed, or release()"
                    + " was called); keep arrays that must outlive a step with MemoryScope.keep");
        }
        return allocation.address();
    }

    long byteSize() {
        return (long) length() * dtype().byteSize();
    }

    /** The stream this storage's memory is ordered on. */
    long stream() {
        return allocation.stream();
    }

    @Override
    public void release() {
        cleanable.clean(); // runs FreeAction at most once, whoever asks first
        if (scope != null) {
            scope.forget(this);
        }
    }

    @Override
    public boolean isReleased() {
        return allocation.isReleased();
    }

    private record FreeAction(CachingAllocator allocator, Allocation allocation) implements Runnable {
        @Override
        public void run() {
            allocator.freeIfLive(allocation);
        }
    }
}
