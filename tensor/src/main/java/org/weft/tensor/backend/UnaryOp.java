package org.weft.tensor.backend;

/**
 * The elementwise functions of one argument, each with its scalar definition in double
 * precision: the reference every backend's kernel is held to.
 */
public enum UnaryOp {
    NEG(false) { public double apply(double x) { return -x; } },
    ABS(false) { public double apply(double x) { return Math.abs(x); } },
    /** (0 < x) - (x < 0), PyTorch's definition: NaN and -0.0 both give +0.0 (Math.signum keeps them). */
    SIGN(false) { public double apply(double x) { return x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0; } },
    /** max(x, 0) that returns x unless x < 0, as PyTorch's: NaN stays NaN and -0.0 stays -0.0. */
    RELU(false) { public double apply(double x) { return x < 0 ? 0.0 : x; } },
    FLOOR(false) { public double apply(double x) { return Math.floor(x); } },
    CEIL(false) { public double apply(double x) { return Math.ceil(x); } },
    /** Round half to even, as PyTorch's round does. */
    ROUND(false) { public double apply(double x) { return Math.rint(x); } },
    EXP(true) { public double apply(double x) { return Math.exp(x); } },
    EXPM1(true) { public double apply(double x) { return Math.expm1(x); } },
    LOG(true) { public double apply(double x) { return Math.log(x); } },
    LOG1P(true) { public double apply(double x) { return Math.log1p(x); } },
    SQRT(true) { public double apply(double x) { return Math.sqrt(x); } },
    RSQRT(true) { public double apply(double x) { return 1.0 / Math.sqrt(x); } },
    RECIPROCAL(true) { public double apply(double x) { return 1.0 / x; } },
    SIN(true) { public double apply(double x) { return Math.sin(x); } },
    COS(true) { public double apply(double x) { return Math.cos(x); } },
    TANH(true) { public double apply(double x) { return Math.tanh(x); } },
    SIGMOID(true) {
        public double apply(double x) {
            // Two forms so exp never overflows into inf/inf.
            if (x >= 0) {
                return 1.0 / (1.0 + Math.exp(-x));
            }
            double e = Math.exp(x);
            return e / (1.0 + e);
        }
    },
    ERF(true) { public double apply(double x) { return Erf.erf(x); } },
    /** x * Phi(x), Phi the standard normal CDF. */
    GELU_ERF(true) { public double apply(double x) { return 0.5 * x * Erf.erfc(-x / Math.sqrt(2.0)); } },
    /**
     * The tanh approximation 0.5 x (1 + tanh(u)), u = sqrt(2/pi) (x + 0.044715 x^3), computed as
     * x sigmoid(2u): the same function, but 1 + tanh(u) cancels to nothing for u below -19,
     * where x sigmoid(2u) keeps every digit.
     */
    GELU_TANH(true) {
        public double apply(double x) {
            double u = Math.sqrt(2.0 / Math.PI) * (x + 0.044715 * x * x * x);
            double e = Math.exp(-2.0 * Math.abs(u));
            return u >= 0 ? x / (1.0 + e) : x * e / (1.0 + e);
        }
    };

    private final boolean floatResult;

    UnaryOp(boolean floatResult) {
        this.floatResult = floatResult;
    }

    /** The function on one value. */
    public abstract double apply(double x);

    /**
     * Whether an integer input gives a floating-point result (exp of an I64 array is F32),
     * rather than keeping its dtype (neg, abs, sign, relu, rounding).
     */
    public boolean floatResult() {
        return floatResult;
    }

    /** The name PyTorch gives the op, for error messages. */
    public String opName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
