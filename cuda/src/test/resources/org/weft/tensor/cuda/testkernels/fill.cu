// A kernel for the GPU tests of the CUDA plumbing (module loading, NVRTC, argument packing).
#include "testkernels.cuh"

extern "C" __global__ void weft_test_fill(float* out, float value, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        out[i] = value;
    }
}

// A struct by value: its layout (three 4-byte fields, no padding) matches what the test packs.
extern "C" __global__ void weft_test_affine(float* out, const float* in, Affine a, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        out[i] = scale_shift(in[i], a) + (float) a.tag;
    }
}
