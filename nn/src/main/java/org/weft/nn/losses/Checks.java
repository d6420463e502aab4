package org.weft.nn.losses;

import org.weft.autograd.Tensor;
import org.weft.tensor.DType;

/** The argument checks the losses share, with messages that name the op, what was expected and what came. */
final class Checks {

    private Checks() {
    }

    /** {@code t} must be F32 or F64: the losses compute in the dtype of their input. */
    static void floating(String op, String name, Tensor t) {
        if (t == null) {
            throw new NullPointerException(op + ": " + name + " is null");
        }
        DType d = t.dtype();
        if (!d.isFloatingPoint() || !d.isComputeType()) {
            throw new IllegalArgumentException(op + ": expected " + name + " of a floating-point dtype (F32 or F64), got "
                    + d);
        }
    }

    /** {@code t} must be floating point and have the dtype of {@code ref} (PyTorch's losses do not promote). */
    static void sameDtype(String op, String name, Tensor t, String refName, Tensor ref) {
        floating(op, name, t);
        if (t.dtype() != ref.dtype()) {
            throw new IllegalArgumentException(op + ": expected " + name + " of dtype " + ref.dtype() + " (the "
                    + refName + "'s), got " + t.dtype());
        }
    }

    /** {@code t} must be floating point with the dtype and shape of {@code ref}. */
    static void sameShape(String op, String name, Tensor t, String refName, Tensor ref) {
        sameDtype(op, name, t, refName, ref);
        if (!t.shape().equals(ref.shape())) {
            throw new IllegalArgumentException(op + ": " + name + " size " + t.shape() + " must be the same as "
                    + refName + " size " + ref.shape());
        }
    }

    /** {@code t} must be floating point with {@code ref}'s dtype and broadcast to {@code ref}'s shape. */
    static void broadcastsTo(String op, String name, Tensor t, String refName, Tensor ref) {
        sameDtype(op, name, t, refName, ref);
        int[] s = t.dims();
        int[] r = ref.dims();
        boolean ok = s.length <= r.length;
        for (int k = 1; ok && k <= s.length; k++) {
            int a = s[s.length - k];
            ok = a == 1 || a == r[r.length - k];
        }
        if (!ok) {
            throw new IllegalArgumentException(op + ": " + name + " of shape " + t.shape()
                    + " does not broadcast to the " + refName + "'s shape " + ref.shape());
        }
    }

    /** {@code a} and {@code b} must be floating point of one dtype and broadcast together. */
    static void broadcastable(String op, String aName, Tensor a, String bName, Tensor b) {
        sameDtype(op, bName, b, aName, a);
        int[] s = a.dims();
        int[] r = b.dims();
        for (int k = 1; k <= Math.min(s.length, r.length); k++) {
            int x = s[s.length - k];
            int y = r[r.length - k];
            if (x != y && x != 1 && y != 1) {
                throw new IllegalArgumentException(op + ": the size of " + aName + " " + a.shape() + " and of " + bName
                        + " " + b.shape() + " must match at non-singleton dimension " + (-k));
            }
        }
    }
}
