package org.weft.tensor.cpu;

/**
 * The pooling windows along one axis: output position {@code o} reads the input positions
 * {@code start[o], start[o] + step, ...} below {@code end[o]}, already clipped to the input;
 * {@code paddedSize[o]} is the window's size clipped to the padded input instead, what
 * average pooling divides by when padding counts. Sliding windows also keep the
 * {@code kernel}, {@code stride} and {@code pad} they came from (zero kernel for adaptive
 * ones), for kernels that walk the padded input on a regular grid.
 */
final class Windows {

    final int[] start;
    final int[] end;
    final int[] paddedSize;
    final int step;
    final int kernel;
    final int stride;
    final int pad;

    private Windows(int outSize, int step, int kernel, int stride, int pad) {
        this.start = new int[outSize];
        this.end = new int[outSize];
        this.paddedSize = new int[outSize];
        this.step = step;
        this.kernel = kernel;
        this.stride = stride;
        this.pad = pad;
    }

    /** Sliding windows: output {@code o} covers {@code o*stride - pad + j*dilation} for {@code j < kernel}. */
    static Windows sliding(int inSize, int outSize, int kernel, int stride, int pad, int dilation) {
        Windows w = new Windows(outSize, dilation, kernel, stride, pad);
        for (int o = 0; o < outSize; o++) {
            int s = o * stride - pad;
            int e = s + (kernel - 1) * dilation + 1;
            w.paddedSize[o] = Math.min(e, inSize + pad) - s;
            // Taps left of the input are skipped whole dilation steps at a time, so the ones
            // kept stay on the window's grid.
            w.start[o] = s < 0 ? s + (-s + dilation - 1) / dilation * dilation : s;
            w.end[o] = Math.min(e, inSize);
        }
        return w;
    }

    /**
     * Adaptive windows, as PyTorch's adaptive pooling: output {@code o} covers
     * {@code [floor(o*in/out), ceil((o+1)*in/out))}, so the windows tile the input and may overlap by one.
     */
    static Windows adaptive(int inSize, int outSize) {
        Windows w = new Windows(outSize, 1, 0, 0, 0);
        for (int o = 0; o < outSize; o++) {
            w.start[o] = (int) ((long) o * inSize / outSize);
            w.end[o] = (int) (((long) (o + 1) * inSize + outSize - 1) / outSize);
            w.paddedSize[o] = w.end[o] - w.start[o];
        }
        return w;
    }

    /**
     * What average pooling divides each output {@code (i, j)} by: {@code divisorOverride} when
     * nonzero, else the window's area over the padded input or over the input itself.
     */
    static int[] divisors(Windows rows, Windows cols, boolean countIncludePad, int divisorOverride) {
        int[] d = new int[rows.start.length * cols.start.length];
        for (int i = 0; i < rows.start.length; i++) {
            for (int j = 0; j < cols.start.length; j++) {
                d[i * cols.start.length + j] = divisorOverride != 0 ? divisorOverride
                        : countIncludePad ? rows.paddedSize[i] * cols.paddedSize[j]
                        : (rows.end[i] - rows.start[i]) * (cols.end[j] - cols.start[j]);
            }
        }
        return d;
    }
}
