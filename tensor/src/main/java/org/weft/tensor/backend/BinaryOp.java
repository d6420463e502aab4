package org.weft.tensor.backend;

/** The elementwise functions of two arguments, with their scalar definitions. */
public enum BinaryOp {
    ADD {
        public double apply(double a, double b) { return a + b; }
        public long apply(long a, long b) { return a + b; }
    },
    SUB {
        public double apply(double a, double b) { return a - b; }
        public long apply(long a, long b) { return a - b; }
    },
    MUL {
        public double apply(double a, double b) { return a * b; }
        public long apply(long a, long b) { return a * b; }
    },
    /** True division: integer operands are promoted to floating point before it runs. */
    DIV {
        public double apply(double a, double b) { return a / b; }
        public long apply(long a, long b) { throw new AssertionError("div on integers is promoted"); }
    },
    POW {
        public double apply(double a, double b) { return Math.pow(a, b); }
        public long apply(long a, long b) {
            if (b < 0) {
                // PyTorch raises for negative integer powers of integers; so do we.
                throw new ArithmeticException("Integers to negative integer powers are not allowed.");
            }
            long result = 1;
            long base = a;
            for (long e = b; e > 0; e >>= 1) {
                if ((e & 1) != 0) {
                    result *= base;
                }
                base *= base;
            }
            return result;
        }
    },
    /**
     * max(a, b); a NaN in either operand gives NaN, as torch.maximum does. On ties it returns
     * {@code a}, as PyTorch does, which only shows for signed zeros: maximum(-0.0, 0.0) is -0.0
     * (Math.max would say 0.0).
     */
    MAXIMUM {
        public double apply(double a, double b) { return Double.isNaN(b) ? b : a < b ? b : a; }
        public long apply(long a, long b) { return Math.max(a, b); }
    },
    /** min(a, b); NaN wins and ties return {@code a}, as for {@link #MAXIMUM}. */
    MINIMUM {
        public double apply(double a, double b) { return Double.isNaN(b) ? b : a > b ? b : a; }
        public long apply(long a, long b) { return Math.min(a, b); }
    };

    /** The function on floating-point values. */
    public abstract double apply(double a, double b);

    /** The function on integers, wrapping on overflow like a C integer. */
    public abstract long apply(long a, long b);

    public String opName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
