package org.weft.tensor;

import java.util.Arrays;

/** The sizes of an array's dimensions; immutable. */
public record Shape(int[] dims) {

    public static final Shape SCALAR = new Shape(new int[0]);

    public Shape {
        dims = dims.clone();
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(dims));
            }
        }
        long n = 1;
        for (int d : dims) {
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + Arrays.toString(dims)
                        + " has more than 2^31-1 elements");
            }
        }
    }

    public static Shape of(int... dims) {
        return new Shape(dims);
    }

    @Override
    public int[] dims() {
        return dims.clone();
    }

    public int rank() {
        return dims.length;
    }

    /** The size of dimension {@code d}; negative {@code d} counts from the end. */
    public int size(int d) {
        return dims[normalizeDim(d, dims.length)];
    }

    public int numel() {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    /**
     * The shape two shapes broadcast to, by NumPy's rule: align trailing dimensions; each pair
     * must be equal or contain a 1.
     */
    public static Shape broadcast(Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.rank() ? 1 : a.dims[i - (rank - a.rank())];
            int db = i < rank - b.rank() ? 1 : b.dims[i - (rank - b.rank())];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("The size of tensor a (" + da
                        + ") must match the size of tensor b (" + db
                        + ") at non-singleton dimension " + i + " (shapes " + a + " and " + b + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return new Shape(out);
    }

    /**
     * Turns a possibly negative dimension index into {@code [0, rank)}, or throws PyTorch's
     * "Dimension out of range" error. A scalar accepts 0 and -1, as in PyTorch.
     */
    public static int normalizeDim(int dim, int rank) {
        int r = Math.max(rank, 1);
        if (dim < -r || dim >= r) {
            throw new IndexOutOfBoundsException("Dimension out of range (expected to be in range of ["
                    + (-r) + ", " + (r - 1) + "], but got " + dim + ")");
        }
        return dim < 0 ? dim + r : dim;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
