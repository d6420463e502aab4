package org.weft.tensor;

/**
 * A flat buffer of elements of one dtype on one device, shared by every view of it.
 *
 * <p>The version counter counts in-place writes. Anything that keeps an array for later (the
 * autograd saves tensors for backward) records the version and checks it before use, so a
 * value overwritten in the meantime is caught rather than silently read.
 */
public abstract class Storage {

    private final DType dtype;
    private final int length;
    private int version;

    protected Storage(DType dtype, int length) {
        this.dtype = dtype;
        this.length = length;
    }

    public final DType dtype() {
        return dtype;
    }

    /** The number of elements, not bytes. */
    public final int length() {
        return length;
    }

    public abstract Device device();

    public final int version() {
        return version;
    }

    /** Marks an in-place write; every view of this storage sees the new version. */
    public final void bumpVersion() {
        version++;
    }
}
