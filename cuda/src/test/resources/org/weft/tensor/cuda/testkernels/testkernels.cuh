// Shared by the test kernels: NVRTC gets it as a header, by include name.
#pragma once

struct Affine {
    float scale;
    float shift;
    int tag;
};

__device__ inline float scale_shift(float x, Affine a) {
    return a.scale * x + a.shift;
}
