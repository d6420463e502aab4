package org.weft.tensor.cpu;

/**
 * What a floating-point reduction does to each element, in double: a starting value, a
 * per-element fold and how two partial results merge.
 *
 * <p>Each kind is a tight loop over a contiguous {@code double[]} run, so the only dispatch
 * is one call per run: {@link DoubleReduction} widens F32 (and gathers strided F64) into such
 * runs. Some kinds take a per-output {@code shift}: the mean for squared deviations, the
 * maximum for the shifted exponentials of logsumexp.
 */
abstract class Accumulation {

    /** The value of a reduction over no elements. */
    abstract double identity();

    /** Combines the partial results of two parts of one block. */
    abstract double merge(double a, double b);

    /** Folds {@code a[off .. off+n)} into {@code acc} for one output whose parameter is {@code shift}. */
    abstract double fold(double[] a, int off, int n, double shift, double acc);

    /**
     * Folds one reduced element of {@code n} outputs lying side by side:
     * {@code acc[k] = fold of a[off + k]} with parameter {@code shift[k]}, for k in [0, n).
     */
    abstract void foldColumns(double[] a, int off, int n, double[] shift, double[] acc);

    // ------------------------------------------------------------ the sums

    /** Sums start at zero and merge by adding. */
    private abstract static class Summing extends Accumulation {
        @Override
        final double identity() {
            return 0;
        }

        @Override
        final double merge(double a, double b) {
            return a + b;
        }
    }

    static final Accumulation SUM = new Summing() {
        @Override
        double fold(double[] a, int off, int n, double shift, double acc) {
            // Four independent sums: the additions of one do not wait on the others.
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            int i = 0;
            for (; i + 3 < n; i += 4) {
                s0 += a[off + i];
                s1 += a[off + i + 1];
                s2 += a[off + i + 2];
                s3 += a[off + i + 3];
            }
            for (; i < n; i++) {
                s0 += a[off + i];
            }
            return acc + ((s0 + s1) + (s2 + s3));
        }

        @Override
        void foldColumns(double[] a, int off, int n, double[] shift, double[] acc) {
            for (int k = 0; k < n; k++) {
                acc[k] += a[off + k];
            }
        }
    };

    /** {@code sum (x - shift)^2}: the second pass of the variance, shift being the mean. */
    static final Accumulation SQUARED_DEVIATION = new Summing() {
        @Override
        double fold(double[] a, int off, int n, double shift, double acc) {
            for (int i = 0; i < n; i++) {
                double d = a[off + i] - shift;
                acc += d * d;
            }
            return acc;
        }

        @Override
        void foldColumns(double[] a, int off, int n, double[] shift, double[] acc) {
            for (int k = 0; k < n; k++) {
                double d = a[off + k] - shift[k];
                acc[k] += d * d;
            }
        }
    };

    /** {@code sum exp(x - shift)}: the second pass of logsumexp, shift being the maximum. */
    static final Accumulation EXP_SHIFTED = new Summing() {
        @Override
        double fold(double[] a, int off, int n, double shift, double acc) {
            for (int i = 0; i < n; i++) {
                acc += Math.exp(a[off + i] - shift);
            }
            return acc;
        }

        @Override
        void foldColumns(double[] a, int off, int n, double[] shift, double[] acc) {
            for (int k = 0; k < n; k++) {
                acc[k] += Math.exp(a[off + k] - shift[k]);
            }
        }
    };

    static final Accumulation ABS_SUM = new Summing() {
        @Override
        double fold(double[] a, int off, int n, double shift, double acc) {
            for (int i = 0; i < n; i++) {
                acc += Math.abs(a[off + i]);
            }
            return acc;
        }

        @Override
        void foldColumns(double[] a, int off, int n, double[] shift, double[] acc) {
            for (int k = 0; k < n; k++) {
                acc[k] += Math.abs(a[off + k]);
            }
        }
    };

    static final Accumulation SQUARE_SUM = new Summing() {
        @Override
        double fold(double[] a, int off, int n, double shift, double acc) {
            for (int i = 0; i < n; i++) {
                double v = a[off + i];
                acc += v * v;
            }
            return acc;
        }

        @Override
        void foldColumns(double[] a, int off, int n, double[] shift, double[] acc) {
            for (int k = 0; k < n; k++) {
                double v = a[off + k];
                acc[k] += v * v;
            }
        }
    };

    /** Counts the elements that are not zero (NaN counts): the "0-norm". */
    static final Accumulation NONZERO_COUNT = new Summing() {
        @Override
        double fold(double[] a, int off, int n, double shift, double acc) {
            for (int i = 0; i < n; i++) {
                acc += a[off + i] != 0 ? 1 : 0;
            }
            return acc;
        }

        @Override
        void foldColumns(double[] a, int off, int n, double[] shift, double[] acc) {
            for (int k = 0; k < n; k++) {
                acc[k] += a[off + k] != 0 ? 1 : 0;
            }
        }
    };

    /** {@code sum |x|^p}, for the p-norms other than 0, 1, 2 and infinity. */
    static Accumulation absPowSum(double p) {
        return new Summing() {
            @Override
            double fold(double[] a, int off, int n, double shift, double acc) {
                for (int i = 0; i < n; i++) {
                    acc += Math.pow(Math.abs(a[off + i]), p);
                }
                return acc;
            }

            @Override
            void foldColumns(double[] a, int off, int n, double[] shift, double[] acc) {
                for (int k = 0; k < n; k++) {
                    acc[k] += Math.pow(Math.abs(a[off + k]), p);
                }
            }
        };
    }

    // ------------------------------------------------------------ the extremes

    static final Accumulation MAX = new Extreme(true, false, Double.NEGATIVE_INFINITY);

    static final Accumulation MIN = new Extreme(false, false, Double.POSITIVE_INFINITY);

    /** The largest |x|: the infinity-norm (zero over no elements, as PyTorch). */
    static final Accumulation MAX_ABS = new Extreme(true, true, 0);

    /** The smallest |x|: the minus-infinity "norm". */
    static final Accumulation MIN_ABS = new Extreme(false, true, Double.POSITIVE_INFINITY);

    /**
     * Keeps the largest (or smallest) of x, or of |x|. NaN wins: Math.max and Math.min
     * propagate it. The two flags are final, so the JIT takes their tests out of the loops.
     */
    private static final class Extreme extends Accumulation {
        private final boolean largest;
        private final boolean abs;
        private final double identity;

        Extreme(boolean largest, boolean abs, double identity) {
            this.largest = largest;
            this.abs = abs;
            this.identity = identity;
        }

        @Override
        double identity() {
            return identity;
        }

        @Override
        double merge(double a, double b) {
            return largest ? Math.max(a, b) : Math.min(a, b);
        }

        @Override
        double fold(double[] a, int off, int n, double shift, double acc) {
            for (int i = 0; i < n; i++) {
                acc = merge(acc, abs ? Math.abs(a[off + i]) : a[off + i]);
            }
            return acc;
        }

        @Override
        void foldColumns(double[] a, int off, int n, double[] shift, double[] acc) {
            for (int k = 0; k < n; k++) {
                acc[k] = merge(acc[k], abs ? Math.abs(a[off + k]) : a[off + k]);
            }
        }
    }
}
