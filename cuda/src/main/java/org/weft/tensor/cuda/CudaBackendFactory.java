package org.weft.tensor.cuda;

import java.util.List;
import org.weft.tensor.backend.Backend;
import org.weft.tensor.backend.CudaBackendProvider;

/**
 * The entry point tensor's {@code Backends} finds by name. Creating it touches no CUDA
 * class; the driver is probed on the first question.
 */
public final class CudaBackendFactory implements CudaBackendProvider {

    public CudaBackendFactory() {
    }

    @Override
    public Backend backend(int index) {
        CudaStatus status = CudaProbe.status();
        if (!status.usable()) {
            throw new IllegalStateException("cuda:" + index + " is not available: " + status.reason());
        }
        if (index >= status.devices().size()) {
            throw new IllegalStateException("cuda:" + index + " is not available: this machine has "
                    + status.devices().size() + (status.devices().size() == 1 ? " CUDA device" : " CUDA devices"));
        }
        return new CudaBackend(status.devices().get(index));
    }

    @Override
    public List<String> describe() {
        return CudaProbe.status().describe();
    }
}
