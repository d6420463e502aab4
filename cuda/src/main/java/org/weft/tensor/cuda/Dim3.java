package org.weft.tensor.cuda;

/** A grid or block size in up to three dimensions, as CUDA's {@code dim3}. */
record Dim3(int x, int y, int z) {

    Dim3 {
        if (x < 1 || y < 1 || z < 1) {
            throw new IllegalArgumentException("launch dimensions must be positive, got (" + x + ", " + y + ", " + z + ")");
        }
    }

    static Dim3 of(int x) {
        return new Dim3(x, 1, 1);
    }

    static Dim3 of(int x, int y) {
        return new Dim3(x, y, 1);
    }

    /** Enough blocks of {@code threadsPerBlock} to cover {@code n} elements (at least one). */
    static Dim3 blocksFor(long n, int threadsPerBlock) {
        long blocks = Math.max(1, (n + threadsPerBlock - 1) / threadsPerBlock);
        if (blocks > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(n + " elements need " + blocks + " blocks of " + threadsPerBlock
                    + " threads, more than a grid's x dimension holds");
        }
        return of((int) blocks);
    }

    @Override
    public String toString() {
        return "(" + x + ", " + y + ", " + z + ")";
    }
}
