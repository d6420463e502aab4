package org.weft.tensor.backend;

import org.weft.tensor.DType;
import org.weft.tensor.Device;
import org.weft.tensor.NDArray;
import org.weft.tensor.Storage;

/**
 * The kernels of one device, grouped by family.
 *
 * <p>An {@link org.weft.tensor.NDArray} op checks its arguments, allocates the result and
 * calls its device's backend; a backend therefore receives arguments that are already valid
 * (shapes agree, dtypes match, outputs are allocated on the right device) and never checks
 * them again.
 */
public interface Backend {

    Device device();

    /** A zero-filled buffer of {@code length} elements. */
    Storage allocate(DType dtype, int length);

    CopyKernels copy();

    ElementwiseKernels elementwise();

    ReductionKernels reduction();

    LinalgKernels linalg();

    ConvKernels conv();

    NormKernels norm();

    IndexKernels index();

    RandomKernels random();

    /**
     * A contiguous copy on this backend's device of {@code host}, a CPU array of any strides.
     * May return before the copy has run (later work on the device is ordered after it); the
     * caller may change {@code host} at once. The CPU backend returns {@code host} itself.
     */
    NDArray fromHost(NDArray host);

    /**
     * A contiguous CPU copy of {@code array}, an array on this backend's device; returns once
     * the values are on the host (the one place a device's queued work is waited for). The CPU
     * backend returns {@code array} itself.
     */
    NDArray toHost(NDArray array);
}
