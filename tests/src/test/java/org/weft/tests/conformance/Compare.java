package org.weft.tests.conformance;

import org.weft.tensor.NDArray;

/**
 * The suite's measure of agreement: for floating-point results the 2-norm of the difference
 * relative to the 2-norm of PyTorch's result (absolute when that is below 1e-12), with NaN
 * and infinities required in the same places; integer and boolean results must be equal.
 */
public final class Compare {

    private Compare() {
    }

    /** Null if {@code got} agrees with {@code want} within {@code tol}, otherwise why not. */
    public static String disagreement(NDArray got, NDArray want, double tol) {
        if (!got.shape().equals(want.shape())) {
            return "shape " + got.shape() + " but PyTorch gives " + want.shape();
        }
        if (got.dtype() != want.dtype()) {
            return "dtype " + got.dtype() + " but PyTorch gives " + want.dtype();
        }
        if (!want.dtype().isFloatingPoint()) {
            long[] g = got.toLongArray();
            long[] w = want.toLongArray();
            for (int i = 0; i < g.length; i++) {
                if (g[i] != w[i]) {
                    return "element " + i + " is " + g[i] + " but PyTorch gives " + w[i];
                }
            }
            return null;
        }
        double[] g = got.toDoubleArray();
        double[] w = want.toDoubleArray();
        double diff = 0;
        double norm = 0;
        int worst = -1;
        double worstErr = -1;
        for (int i = 0; i < g.length; i++) {
            if (Double.isNaN(w[i]) || Double.isInfinite(w[i])) {
                if (Double.compare(g[i], w[i]) != 0) {
                    return "element " + i + " is " + g[i] + " but PyTorch gives " + w[i];
                }
                continue;
            }
            double e = g[i] - w[i];
            if (Double.isNaN(e)) {
                return "element " + i + " is " + g[i] + " but PyTorch gives " + w[i];
            }
            diff += e * e;
            norm += w[i] * w[i];
            if (Math.abs(e) > worstErr) {
                worstErr = Math.abs(e);
                worst = i;
            }
        }
        diff = Math.sqrt(diff);
        norm = Math.sqrt(norm);
        double err = norm < 1e-12 ? diff : diff / norm;
        if (err <= tol) {
            return null;
        }
        return String.format("relative error %.3g exceeds %.1g (worst element %d: %s vs PyTorch %s)",
                err, tol, worst, g[worst], w[worst]);
    }
}
