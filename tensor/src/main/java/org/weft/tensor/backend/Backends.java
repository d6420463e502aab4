package org.weft.tensor.backend;

import org.weft.tensor.Device;
import org.weft.tensor.cpu.CpuBackend;

/** Finds the backend of a device. */
public final class Backends {

    private Backends() {
    }

    public static Backend of(Device device) {
        if (device.type() == Device.Type.CPU) {
            return CpuBackend.INSTANCE;
        }
        throw new IllegalStateException("no CUDA backend in this build; " + device + " is not available");
    }
}
