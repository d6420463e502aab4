package org.weft.tensor.cpu;

/**
 * A stable sort of positions by 64-bit keys (a bottom-up merge sort over runs that insertion
 * sort made), and the map from numbers to keys that orders them as PyTorch's sort does.
 */
final class StableSort {

    /** Runs this short are insertion-sorted before merging starts. */
    private static final int RUN = 16;

    private StableSort() {
    }

    /**
     * A key whose signed order is the order of the doubles: negative numbers below positive,
     * -0.0 equal to 0.0 (so stability keeps their order), every NaN equal and above +infinity.
     */
    static long key(double v) {
        if (v != v) {
            return Long.MAX_VALUE;
        }
        long bits = Double.doubleToRawLongBits(v == 0 ? 0.0 : v);
        // Negative doubles: the magnitude bits count the wrong way; flipping them fixes the order.
        return bits ^ ((bits >> 63) & Long.MAX_VALUE);
    }

    /**
     * Sorts {@code index[0..n)} (positions into {@code keys}) by key, ascending or descending;
     * equal keys keep their order. {@code tmp} has room for n entries.
     */
    static void sort(long[] keys, int[] index, int[] tmp, int n, boolean descending) {
        for (int lo = 0; lo < n; lo += RUN) {
            insertionSort(keys, index, lo, Math.min(n, lo + RUN), descending);
        }
        int[] src = index;
        int[] dst = tmp;
        for (int width = RUN; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(n, lo + width);
                int hi = Math.min(n, lo + 2 * width);
                merge(keys, src, dst, lo, mid, hi, descending);
            }
            int[] t = src;
            src = dst;
            dst = t;
        }
        if (src != index) {
            System.arraycopy(src, 0, index, 0, n);
        }
    }

    /** Whether key a goes strictly after key b. */
    private static boolean after(long a, long b, boolean descending) {
        return descending ? a < b : a > b;
    }

    private static void insertionSort(long[] keys, int[] index, int lo, int hi, boolean descending) {
        for (int i = lo + 1; i < hi; i++) {
            int v = index[i];
            int j = i - 1;
            while (j >= lo && after(keys[index[j]], keys[v], descending)) {
                index[j + 1] = index[j];
                j--;
            }
            index[j + 1] = v;
        }
    }

    private static void merge(long[] keys, int[] src, int[] dst, int lo, int mid, int hi, boolean descending) {
        int i = lo;
        int j = mid;
        for (int k = lo; k < hi; k++) {
            // Take from the right run only when strictly before the left: ties keep the left (earlier) one.
            if (i < mid && (j >= hi || !after(keys[src[i]], keys[src[j]], descending))) {
                dst[k] = src[i++];
            } else {
                dst[k] = src[j++];
            }
        }
    }
}
