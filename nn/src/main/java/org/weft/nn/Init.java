package org.weft.nn;

import org.weft.autograd.Grad;
import org.weft.autograd.Tensor;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;
import org.weft.tensor.random.Generator;

/**
 * Parameter initialisation as {@code torch.nn.init}: the same distributions, fans and gains,
 * so a freshly built model starts from the same distribution as its PyTorch twin (not the
 * same numbers: the generators differ). Every function fills in place without recording a
 * gradient and returns its argument. A null generator means the global one.
 */
public final class Init {

    private Init() {
    }

    /** Which fan a Kaiming initialisation preserves: activations forward or gradients backward. */
    public enum FanMode { FAN_IN, FAN_OUT }

    /** Fills with {@code value}. */
    public static Tensor constant_(Tensor t, double value) {
        try (var g = Grad.disabled()) {
            t.data().fill_(value);
        }
        return t;
    }

    public static Tensor zeros_(Tensor t) {
        return constant_(t, 0);
    }

    public static Tensor ones_(Tensor t) {
        return constant_(t, 1);
    }

    /** Uniform on [low, high). */
    public static Tensor uniform_(Tensor t, double low, double high, Generator generator) {
        t.data().uniform_(low, high, generator);
        return t;
    }

    /** Normal with {@code mean} and {@code std}. */
    public static Tensor normal_(Tensor t, double mean, double std, Generator generator) {
        t.data().normal_(mean, std, generator);
        return t;
    }

    /**
     * Normal with {@code mean} and {@code std} truncated to [a, b] (absolute bounds, as
     * {@code trunc_normal_}), by inverting the normal CDF on a uniform draw between the
     * bounds' CDF values, which is exact and needs no rejection loop.
     */
    public static Tensor truncNormal_(Tensor t, double mean, double std, double a, double b, Generator generator) {
        if (!(std > 0) || !(a < b)) {
            throw new IllegalArgumentException("truncNormal_: needs std > 0 and a < b, got std=" + std + ", a=" + a
                    + ", b=" + b);
        }
        double lo = normalCdf((a - mean) / std);
        double hi = normalCdf((b - mean) / std);
        double[] u = NDArray.zeros(DType.F64, t.data().shape().dims()).uniform_(0, 1, generator).toDoubleArray();
        double[] out = new double[u.length];
        for (int i = 0; i < u.length; i++) {
            double p = lo + (hi - lo) * u[i];
            double x = mean + std * inverseNormalCdf(p);
            out[i] = Math.min(b, Math.max(a, x));
        }
        t.data().copy_(NDArray.of(out, t.data().shape().dims()));
        return t;
    }

    /** Truncated normal with PyTorch's defaults for ViT-style layers: mean 0, bounds ±2. */
    public static Tensor truncNormal_(Tensor t, double std, Generator generator) {
        return truncNormal_(t, 0, std, -2, 2, generator);
    }

    /** The gain {@code torch.nn.init.calculate_gain} gives: relu √2, leaky_relu √(2/(1+a²)), tanh 5/3, linear/sigmoid/conv 1. */
    public static double gain(String nonlinearity, double negativeSlope) {
        switch (nonlinearity) {
            case "linear": case "conv1d": case "conv2d": case "conv3d": case "sigmoid":
                return 1;
            case "tanh":
                return 5.0 / 3;
            case "relu":
                return Math.sqrt(2);
            case "leaky_relu":
                return Math.sqrt(2 / (1 + negativeSlope * negativeSlope));
            case "selu":
                return 3.0 / 4;
            default:
                throw new IllegalArgumentException("unsupported nonlinearity '" + nonlinearity
                        + "'; expected linear, conv2d, sigmoid, tanh, relu, leaky_relu or selu");
        }
    }

    /**
     * Kaiming (He) uniform: bound = gain·√(3/fan). A tensor with no elements is left alone,
     * as PyTorch does, since its fan may be 0 (an {@code nn.Linear(0, n)}).
     */
    public static Tensor kaimingUniform_(Tensor t, double a, FanMode mode, String nonlinearity, Generator generator) {
        if (t.numel() == 0) {
            return t;
        }
        double std = gain(nonlinearity, a) / Math.sqrt(fan(t, mode));
        double bound = Math.sqrt(3) * std;
        return uniform_(t, -bound, bound, generator);
    }

    /** Kaiming (He) normal: std = gain/√fan; a tensor with no elements is left alone. */
    public static Tensor kaimingNormal_(Tensor t, double a, FanMode mode, String nonlinearity, Generator generator) {
        if (t.numel() == 0) {
            return t;
        }
        double std = gain(nonlinearity, a) / Math.sqrt(fan(t, mode));
        return normal_(t, 0, std, generator);
    }

    /** {@link #kaimingUniform_(Tensor, double, FanMode, String, Generator)} with a = 0 and the global generator. */
    public static Tensor kaimingUniform_(Tensor t, FanMode mode, String nonlinearity) {
        return kaimingUniform_(t, 0, mode, nonlinearity, null);
    }

    /**
     * {@link #kaimingNormal_(Tensor, double, FanMode, String, Generator)} with a = 0 and the
     * global generator: torchvision's ResNet conv init is {@code kaimingNormal_(w, FAN_OUT, "relu")}.
     */
    public static Tensor kaimingNormal_(Tensor t, FanMode mode, String nonlinearity) {
        return kaimingNormal_(t, 0, mode, nonlinearity, null);
    }

    /** Xavier (Glorot) uniform: bound = gain·√(6/(fan_in+fan_out)). */
    public static Tensor xavierUniform_(Tensor t, double gain, Generator generator) {
        double bound = gain * Math.sqrt(6.0 / (fanIn(t) + fanOut(t)));
        return uniform_(t, -bound, bound, generator);
    }

    /** Xavier (Glorot) normal: std = gain·√(2/(fan_in+fan_out)). */
    public static Tensor xavierNormal_(Tensor t, double gain, Generator generator) {
        double std = gain * Math.sqrt(2.0 / (fanIn(t) + fanOut(t)));
        return normal_(t, 0, std, generator);
    }

    /** {@link #xavierUniform_(Tensor, double, Generator)} with gain 1 and the global generator. */
    public static Tensor xavierUniform_(Tensor t) {
        return xavierUniform_(t, 1, null);
    }

    /** {@link #xavierNormal_(Tensor, double, Generator)} with gain 1 and the global generator. */
    public static Tensor xavierNormal_(Tensor t) {
        return xavierNormal_(t, 1, null);
    }

    /** Inputs feeding one output: dim 1 times the receptive field (kernel elements). */
    public static long fanIn(Tensor t) {
        requireMatrixLike(t);
        return t.size(1) * receptiveField(t);
    }

    /** Outputs fed by one input: dim 0 times the receptive field. */
    public static long fanOut(Tensor t) {
        requireMatrixLike(t);
        return t.size(0) * receptiveField(t);
    }

    private static long fan(Tensor t, FanMode mode) {
        return mode == FanMode.FAN_IN ? fanIn(t) : fanOut(t);
    }

    private static long receptiveField(Tensor t) {
        long r = 1;
        for (int d = 2; d < t.dim(); d++) {
            r *= t.size(d);
        }
        return r;
    }

    private static void requireMatrixLike(Tensor t) {
        if (t.dim() < 2) {
            throw new IllegalArgumentException("Fan in and fan out can not be computed for tensor with fewer than 2 "
                    + "dimensions, got shape " + t.shape());
        }
    }

    static double normalCdf(double x) {
        return 0.5 * (1 + NDArray.scalar(x / Math.sqrt(2), DType.F64).erf().item());
    }

    // Acklam's coefficients, highest power first: the central region is q·A(q²)/B(q²), the tails C(t)/D(t).
    private static final double[] ACKLAM_A = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
        1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
    private static final double[] ACKLAM_B = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
        6.680131188771972e+01, -1.328068155288572e+01, 1};
    private static final double[] ACKLAM_C = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
        -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
    private static final double[] ACKLAM_D = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
        3.754408661907416e+00, 1};
    private static final double TAIL = 0.02425;

    /** Acklam's rational approximation: relative error below 1.2e-9, far finer than F32 weights. */
    static double inverseNormalCdf(double p) {
        if (p <= 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (p >= 1) {
            return Double.POSITIVE_INFINITY;
        }
        if (p < TAIL) {
            double t = Math.sqrt(-2 * Math.log(p));
            return horner(ACKLAM_C, t) / horner(ACKLAM_D, t);
        }
        if (p > 1 - TAIL) {
            double t = Math.sqrt(-2 * Math.log(1 - p));
            return -horner(ACKLAM_C, t) / horner(ACKLAM_D, t);
        }
        double q = p - 0.5;
        double r = q * q;
        return q * horner(ACKLAM_A, r) / horner(ACKLAM_B, r);
    }

    /** The polynomial with {@code coefficients} (highest power first) at {@code x}. */
    private static double horner(double[] coefficients, double x) {
        double y = 0;
        for (double c : coefficients) {
            y = y * x + c;
        }
        return y;
    }
}
