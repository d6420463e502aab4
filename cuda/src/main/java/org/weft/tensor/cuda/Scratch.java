package org.weft.tensor.cuda;

import org.weft.tensor.DType;
import org.weft.tensor.NDArray;

/**
 * Where kernel families get device arrays they write before reading: intermediate results and
 * contiguous copies of strided operands. Not zero-filled. The family releases them as soon as
 * their last launch is queued: device memory is ordered on the one stream, so a later
 * allocation that reuses the block runs after those launches.
 */
interface Scratch {

    /** A contiguous, uninitialised array on the device. */
    NDArray empty(DType dtype, int... dims);
}
