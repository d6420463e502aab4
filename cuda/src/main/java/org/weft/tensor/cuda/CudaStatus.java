package org.weft.tensor.cuda;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@link CudaProbe} found: the driver and its GPUs, or why no GPU is usable.
 *
 * @param driverVersion the driver's CUDA version as the driver API encodes it (13000 for 13.0), 0 if unknown
 */
public record CudaStatus(boolean usable, String reason, int driverVersion, List<GpuInfo> devices) {

    public CudaStatus {
        devices = List.copyOf(devices);
    }

    static CudaStatus unusable(String reason, int driverVersion) {
        return new CudaStatus(false, reason, driverVersion, List.of());
    }

    /** Lines for {@code weft info}. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        if (!usable) {
            lines.add("cuda: not usable: " + reason);
            return lines;
        }
        lines.add("cuda: driver " + versionString(driverVersion) + ", " + devices.size()
                + (devices.size() == 1 ? " device" : " devices"));
        for (GpuInfo d : devices) {
            lines.add(d.toString());
        }
        return lines;
    }

    /** 13000 -> "13.0", as cuDriverGetVersion encodes it (1000 * major + 10 * minor). */
    static String versionString(int v) {
        return v / 1000 + "." + (v % 1000) / 10;
    }
}
