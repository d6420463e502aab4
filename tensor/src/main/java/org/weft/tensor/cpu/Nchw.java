package org.weft.tensor.cpu;

import org.weft.tensor.NDArray;

/**
 * Where element {@code (n, c, h, w)} of a 4-d array lies in its storage: an offset and one
 * stride per dimension, so kernels read any layout (a channels-last view, a slice) in place.
 */
record Nchw(int offset, int batchStride, int channelStride, int rowStride, int colStride) {

    static Nchw of(NDArray a) {
        int[] st = a.strides();
        return new Nchw(a.offset(), st[0], st[1], st[2], st[3]);
    }

    /** Where plane {@code (n, c)} starts. */
    int plane(int n, int c) {
        return offset + n * batchStride + c * channelStride;
    }

    /**
     * The stride that walks the {@code height * width} pixels of a plane in row-major order as one
     * dimension, or -1 when the rows are not laid out back to back; such a plane can be fed to
     * a matrix product without copying it.
     */
    int pixelStride(int height, int width) {
        if (height == 1) {
            return width == 1 ? 1 : colStride;
        }
        if (width == 1) {
            return rowStride;
        }
        return rowStride == width * colStride ? colStride : -1;
    }
}
