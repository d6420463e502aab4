// pool.cu: 2-d max and average pooling over contiguous [N, C, H, W] planes, forward and
// backward (the CPU backend's ConvKernels.maxPool2d, avgPool2d and their backwards).
//
// Windows are the CPU backend's (cpu/Windows.java): output o covers o * stride - pad + j *
// dilation for j < kernel; taps left of the input are skipped whole dilation steps at a time
// (so kept taps stay on the grid), the window is clipped at the input's end, and padding never
// wins a max. ceil_mode reaches the kernels only through the output size the caller chose.
//
// Versions (not yet run on a GPU):
//   version 1  (reference) per output element, scan its window; max keeps v > m || isnan(v)
//              (the last NaN, else the first maximum) and its index h * W + w in the plane.
//   version 2  one thread per output element (forward) or per input element (backward).
//              The backwards GATHER rather than scatter: each input element visits the outputs
//              whose windows can contain it and adds their share (avg) or their gradient when
//              the saved index is this element (max). No atomics, so the result is the same
//              on every run, at the price of re-reading a few gradients per input.
// Planned: shared-memory tiles of the input for large kernels, and NHWC variants.
// Floating dtypes f32, f64, bf16; sums in the element type's arithmetic (float for bf16).
#include "weft.cuh"

namespace weft_pool {

struct Window { int k, stride, pad, dil; };

// The first kept tap, the end (exclusive) and the padded size of window o over an input of n.
__device__ __forceinline__ void span(const Window& w, int n, long long o, int& start, int& end, int& padded) {
    int s = (int)(o * w.stride) - w.pad;
    int e = s + (w.k - 1) * w.dil + 1;
    padded = (e < n + w.pad ? e : n + w.pad) - s;
    start = s < 0 ? s + (-s + w.dil - 1) / w.dil * w.dil : s;
    end = e < n ? e : n;
}

// The outputs whose (undilated-clipped) window may cover input position h: [lo, hi].
__device__ __forceinline__ void covering(const Window& w, int h, int out_n, int& lo, int& hi) {
    int reach = (w.k - 1) * w.dil;                 // o * stride - pad <= h <= o * stride - pad + reach
    int a = h + w.pad - reach;
    lo = a <= 0 ? 0 : (a + w.stride - 1) / w.stride;
    hi = (h + w.pad) / w.stride;
    if (hi > out_n - 1) hi = out_n - 1;
}

template <typename T>
__device__ __forceinline__ void max_forward(long long planes, int H, int W, int OH, int OW, Window wh, Window ww,
                                            const T* x, T* out, long long* indices) {
    typedef typename Acc<T>::type A;
    WEFT_GRID_STRIDE(i, planes * OH * OW) {
        long long plane = i / ((long long)OH * OW);
        int o = (int)(i - plane * OH * OW), oh = o / OW, ow = o - oh * OW;
        int h0, h1, hp, w0, w1, wp;
        span(wh, H, oh, h0, h1, hp);
        span(ww, W, ow, w0, w1, wp);
        const T* p = x + plane * H * W;
        A m = -weft_inf<A>();
        long long best = (long long)h0 * W + w0;
        for (int h = h0; h < h1; h += wh.dil)
            for (int w = w0; w < w1; w += ww.dil) {
                A v = weft_load(p + (long long)h * W + w);
                if (v > m || weft_isnan(v)) { m = v; best = (long long)h * W + w; }
            }
        weft_store(out + i, m);
        indices[i] = best;
    }
}

template <typename T>
__device__ __forceinline__ void max_backward(long long planes, int H, int W, int OH, int OW, Window wh, Window ww,
                                             const T* grad, const long long* indices, T* grad_in) {
    typedef typename Acc<T>::type A;
    WEFT_GRID_STRIDE(i, planes * H * W) {
        long long plane = i / ((long long)H * W);
        int at = (int)(i - plane * H * W), h = at / W, w = at - h * W;
        int oh0, oh1, ow0, ow1;
        covering(wh, h, OH, oh0, oh1);
        covering(ww, w, OW, ow0, ow1);
        long long base = plane * OH * OW;
        A sum = 0;
        for (int oh = oh0; oh <= oh1; ++oh)
            for (int ow = ow0; ow <= ow1; ++ow) {
                long long o = base + (long long)oh * OW + ow;
                if (indices[o] == at) sum += weft_load(grad + o);
            }
        weft_store(grad_in + i, sum);
    }
}

__device__ __forceinline__ int divisor(const Window& wh, const Window& ww, int H, int W, int oh, int ow,
                                       int count_include_pad, int divisor_override) {
    if (divisor_override) return divisor_override;
    int h0, h1, hp, w0, w1, wp;
    span(wh, H, oh, h0, h1, hp);
    span(ww, W, ow, w0, w1, wp);
    return count_include_pad ? hp * wp : (h1 - h0) * (w1 - w0);
}

template <typename T>
__device__ __forceinline__ void avg_forward(long long planes, int H, int W, int OH, int OW, Window wh, Window ww,
                                            int count_include_pad, int divisor_override, const T* x, T* out) {
    typedef typename Acc<T>::type A;
    WEFT_GRID_STRIDE(i, planes * OH * OW) {
        long long plane = i / ((long long)OH * OW);
        int o = (int)(i - plane * OH * OW), oh = o / OW, ow = o - oh * OW;
        int h0, h1, hp, w0, w1, wp;
        span(wh, H, oh, h0, h1, hp);
        span(ww, W, ow, w0, w1, wp);
        const T* p = x + plane * H * W;
        A sum = 0;
        for (int h = h0; h < h1; h += wh.dil)
            for (int w = w0; w < w1; w += ww.dil) sum += weft_load(p + (long long)h * W + w);
        bool empty = h0 >= h1 || w0 >= w1;
        int d = divisor(wh, ww, H, W, oh, ow, count_include_pad, divisor_override);
        weft_store(out + i, empty ? (A)0 : sum / (A)d);
    }
}

template <typename T>
__device__ __forceinline__ void avg_backward(long long planes, int H, int W, int OH, int OW, Window wh, Window ww,
                                             int count_include_pad, int divisor_override, const T* grad, T* grad_in) {
    typedef typename Acc<T>::type A;
    WEFT_GRID_STRIDE(i, planes * H * W) {
        long long plane = i / ((long long)H * W);
        int at = (int)(i - plane * H * W), h = at / W, w = at - h * W;
        int oh0, oh1, ow0, ow1;
        covering(wh, h, OH, oh0, oh1);
        covering(ww, w, OW, ow0, ow1);
        long long base = plane * OH * OW;
        A sum = 0;
        for (int oh = oh0; oh <= oh1; ++oh) {
            if ((h + wh.pad - oh * wh.stride) % wh.dil) continue;  // between taps of a dilated window
            for (int ow = ow0; ow <= ow1; ++ow) {
                if ((w + ww.pad - ow * ww.stride) % ww.dil) continue;
                int d = divisor(wh, ww, H, W, oh, ow, count_include_pad, divisor_override);
                sum += weft_load(grad + base + (long long)oh * OW + ow) / (A)d;
            }
        }
        weft_store(grad_in + i, sum);
    }
}

}  // namespace weft_pool

#define WEFT_POOL_GEOMETRY                                                                     \
    long long planes, int H, int W, int OH, int OW, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw
#define WEFT_POOL_WINDOWS                                                                      \
    weft_pool::Window wh = {kh, sh, ph, dh};                                                   \
    weft_pool::Window ww = {kw, sw, pw, dw};
#define WEFT_POOL(S, T)                                                                        \
    extern "C" __global__ void weft_max_pool2d_forward_##S(WEFT_POOL_GEOMETRY, const T* x, T* out, \
                                                           long long* indices) {               \
        WEFT_POOL_WINDOWS weft_pool::max_forward<T>(planes, H, W, OH, OW, wh, ww, x, out, indices); \
    }                                                                                          \
    extern "C" __global__ void weft_max_pool2d_backward_##S(WEFT_POOL_GEOMETRY, const T* grad, \
                                                            const long long* indices, T* grad_input) { \
        WEFT_POOL_WINDOWS weft_pool::max_backward<T>(planes, H, W, OH, OW, wh, ww, grad, indices, grad_input); \
    }                                                                                          \
    extern "C" __global__ void weft_avg_pool2d_forward_##S(WEFT_POOL_GEOMETRY, int count_include_pad, \
                                                           int divisor_override, const T* x, T* out) { \
        WEFT_POOL_WINDOWS weft_pool::avg_forward<T>(planes, H, W, OH, OW, wh, ww, count_include_pad, \
                                                    divisor_override, x, out);                 \
    }                                                                                          \
    extern "C" __global__ void weft_avg_pool2d_backward_##S(WEFT_POOL_GEOMETRY, int count_include_pad, \
                                                            int divisor_override, const T* grad, \
                                                            T* grad_input) {                   \
        WEFT_POOL_WINDOWS weft_pool::avg_backward<T>(planes, H, W, OH, OW, wh, ww, count_include_pad, \
                                                     divisor_override, grad, grad_input);      \
    }
WEFT_POOL(f32, float)
WEFT_POOL(f64, double)
WEFT_POOL(bf16, bf16)
