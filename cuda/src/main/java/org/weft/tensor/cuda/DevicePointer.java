package org.weft.tensor.cuda;

/** A device address as a kernel argument (a {@code T*} parameter), distinct from a plain {@code long}. */
record DevicePointer(long address) {

    @Override
    public String toString() {
        return "0x" + Long.toHexString(address);
    }
}
