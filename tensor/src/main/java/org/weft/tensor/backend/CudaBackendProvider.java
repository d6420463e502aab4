package org.weft.tensor.backend;

import java.util.List;

/**
 * What the optional CUDA module offers to {@link Backends}: tensor finds the implementation
 * by name, so a build or a machine without CUDA never loads its classes.
 */
public interface CudaBackendProvider {

    /** The implementation's class name, looked up with Class.forName. */
    String IMPLEMENTATION = "org.weft.tensor.cuda.CudaBackendFactory";

    /**
     * The backend of GPU {@code index}; throws IllegalStateException saying why when no usable
     * GPU of that index exists (no driver, no device, index out of range).
     */
    Backend backend(int index);

    /** Lines for {@code weft info}: the driver and each device, or why none is usable. */
    List<String> describe();
}
