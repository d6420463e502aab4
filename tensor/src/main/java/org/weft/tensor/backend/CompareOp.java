package org.weft.tensor.backend;

/** Comparisons; each gives a BOOL result. Any comparison with NaN is false except NE. */
public enum CompareOp {
    EQ { public boolean test(double a, double b) { return a == b; } },
    NE { public boolean test(double a, double b) { return a != b; } },
    LT { public boolean test(double a, double b) { return a < b; } },
    LE { public boolean test(double a, double b) { return a <= b; } },
    GT { public boolean test(double a, double b) { return a > b; } },
    GE { public boolean test(double a, double b) { return a >= b; } };

    public abstract boolean test(double a, double b);

    /** The same comparison on integers, exact beyond 2^53. */
    public boolean test(long a, long b) {
        int c = Long.compare(a, b);
        return switch (this) {
            case EQ -> c == 0;
            case NE -> c != 0;
            case LT -> c < 0;
            case LE -> c <= 0;
            case GT -> c > 0;
            case GE -> c >= 0;
        };
    }

    public String opName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
