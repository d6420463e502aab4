package org.weft.autograd;

/** Checks shared by tensor hooks on leaves and non-leaves. */
final class Hooks {

    private Hooks() {
    }

    /** A hook may replace a gradient only with one of the same shape and dtype. */
    static void checkReplacement(String where, Tensor original, Tensor replaced) {
        if (!replaced.shape().equals(original.shape()) || replaced.dtype() != original.dtype()) {
            throw new IllegalStateException("hook at " + where + " returned a gradient of "
                    + replaced.dtype() + " " + replaced.shape() + " but the gradient is "
                    + original.dtype() + " " + original.shape());
        }
    }
}
