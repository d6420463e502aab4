package org.weft.tensor.cuda;

/**
 * One GPU as the driver describes it.
 *
 * @param index            the CUDA device ordinal, as in {@code cuda:N}
 * @param major            compute capability, major (9 for Hopper)
 * @param minor            compute capability, minor
 * @param totalMemoryBytes device memory
 */
public record GpuInfo(int index, String name, int major, int minor, int multiprocessors, long totalMemoryBytes) {

    /** The architecture kernels are compiled for: "sm_90" for compute capability 9.0. */
    public String arch() {
        return "sm_" + major + minor;
    }

    @Override
    public String toString() {
        return "cuda:" + index + " " + name + ", compute capability " + major + "." + minor + " (" + arch() + "), "
                + multiprocessors + " SMs, " + ByteSizes.format(totalMemoryBytes);
    }
}
