// softmax.cu: softmax and log-softmax along the middle axis of a contiguous [outer, n, inner]
// view, forward and backward (the CPU backend's NormKernels.softmax and the autograd
// backward formulas).
//
// Versions (not yet run on a GPU):
//   version 1  (reference) per line: m = max x; s = sum exp(x - m); out = exp(x - m) / s, or
//              x - m - log s; three passes over the line.
//   version 2  online softmax: one pass keeps the running pair (m, s), rescaling s by
//              exp(m_old - m_new) when the maximum grows, then one pass writes. inner == 1: a
//              256-thread block per line, pairs merged in shared memory; inner > 1: a thread
//              per (outer, inner) column, neighbouring threads on neighbouring columns.
// Planned: a warp per line for n <= 1024 (no shared memory, no block barrier), and keeping a
// short line in registers between the two passes.
//
// Backward, with y the forward's output and g the upstream gradient:
//   softmax:      dx = y * (g - sum(g * y))
//   log-softmax:  dx = g - exp(y) * sum(g)
// exp is computed in the element type's arithmetic (float for f32/bf16); the sums in double.
#include "weft.cuh"

namespace weft_softmax {

const int BLOCK = 256;

struct MaxSum { float m; double s; };
struct MaxSumD { double m; double s; };
template <typename A> struct Pair;
template <> struct Pair<float> { typedef MaxSum type; };
template <> struct Pair<double> { typedef MaxSumD type; };

__device__ __forceinline__ float m_exp(float x) { return expf(x); }
__device__ __forceinline__ double m_exp(double x) { return exp(x); }
__device__ __forceinline__ float m_log(float x) { return logf(x); }
__device__ __forceinline__ double m_log(double x) { return log(x); }

// Merge two running (max, sum of exp(x - max)) pairs. A NaN maximum stays (NaN in, NaN out);
// a side at the new maximum keeps factor 1, so inf - inf is never formed.
template <typename A> struct OnlineMerge {
    typedef typename Pair<A>::type V;
    __device__ V combine(V a, V b) const {
        V r;
        if (weft_isnan(a.m) || weft_isnan(b.m)) { r.m = weft_nan<A>(); r.s = 1; return r; }
        r.m = a.m > b.m ? a.m : b.m;
        double fa = a.m == r.m ? 1.0 : (double)m_exp(a.m - r.m);
        double fb = b.m == r.m ? 1.0 : (double)m_exp(b.m - r.m);
        r.s = a.s * fa + b.s * fb;
        return r;
    }
    __device__ V one(A x) const { V v; v.m = x; v.s = 1; return v; }
    __device__ V empty() const { V v; v.m = -weft_inf<A>(); v.s = 0; return v; }
};

typedef WeftDoubleSum DoubleSum;

template <typename T>
__device__ __forceinline__ void write_line(const T* x, T* out, long long n, long long step, long long first,
                                           long long stride, typename Acc<T>::type m, double s, int log_) {
    typedef typename Acc<T>::type A;
    A log_s = (A)log(s), inv_s = (A)(1.0 / s);
    for (long long j = first; j < n; j += stride) {
        A v = weft_load(x + j * step) - m;
        weft_store(out + j * step, log_ ? v - log_s : m_exp(v) * inv_s);
    }
}

template <typename T>
__device__ __forceinline__ void forward(long long outer, long long n, long long inner, const T* x, T* out, int log_) {
    typedef typename Acc<T>::type A;
    typedef typename Pair<A>::type V;
    OnlineMerge<A> mg;
    if (inner == 1) {
        __shared__ V shared[BLOCK];
        for (long long row = blockIdx.x; row < outer; row += gridDim.x) {
            const T* xr = x + row * n;
            V v = mg.empty();
            for (long long j = threadIdx.x; j < n; j += BLOCK) v = mg.combine(v, mg.one(weft_load(xr + j)));
            v = weft_block_combine<BLOCK>(v, shared, mg);
            write_line(xr, out + row * n, n, 1, threadIdx.x, BLOCK, v.m, v.s, log_);
        }
    } else {
        WEFT_GRID_STRIDE(c, outer * inner) {
            long long o = c / inner, k = c - o * inner;
            long long base = o * n * inner + k;
            V v = mg.empty();
            for (long long j = 0; j < n; ++j) v = mg.combine(v, mg.one(weft_load(x + base + j * inner)));
            write_line(x + base, out + base, n, inner, 0, 1, v.m, v.s, log_);
        }
    }
}

template <typename T>
__device__ __forceinline__ double dot_term(const T* y, const T* g, long long i, int log_) {
    // softmax needs sum(g * y); log-softmax needs sum(g)
    return log_ ? (double)weft_load(g + i) : (double)weft_load(g + i) * (double)weft_load(y + i);
}

template <typename T>
__device__ __forceinline__ void backward_line(const T* y, const T* g, T* dx, long long n, long long step,
                                              long long first, long long stride, double sum, int log_) {
    typedef typename Acc<T>::type A;
    for (long long j = first; j < n; j += stride) {
        A yv = weft_load(y + j * step), gv = weft_load(g + j * step);
        weft_store(dx + j * step, log_ ? gv - m_exp(yv) * (A)sum : yv * (gv - (A)sum));
    }
}

template <typename T>
__device__ __forceinline__ void backward(long long outer, long long n, long long inner, const T* y, const T* g,
                                         T* dx, int log_) {
    if (inner == 1) {
        __shared__ double shared[BLOCK];
        for (long long row = blockIdx.x; row < outer; row += gridDim.x) {
            long long base = row * n;
            double s = 0;
            for (long long j = threadIdx.x; j < n; j += BLOCK) s += dot_term(y, g, base + j, log_);
            s = weft_block_combine<BLOCK>(s, shared, DoubleSum());
            backward_line(y + base, g + base, dx + base, n, 1, threadIdx.x, BLOCK, s, log_);
        }
    } else {
        WEFT_GRID_STRIDE(c, outer * inner) {
            long long o = c / inner, k = c - o * inner;
            long long base = o * n * inner + k;
            double s = 0;
            for (long long j = 0; j < n; ++j) s += dot_term(y, g, base + j * inner, log_);
            backward_line(y + base, g + base, dx + base, n, inner, 0, 1, s, log_);
        }
    }
}

}  // namespace weft_softmax

#define WEFT_SOFTMAX(S, T)                                                                     \
    extern "C" __global__ void weft_softmax_forward_##S(long long outer, long long n, long long inner, \
                                                        const T* x, T* out, int log) {         \
        weft_softmax::forward<T>(outer, n, inner, x, out, log);                                \
    }                                                                                          \
    extern "C" __global__ void weft_softmax_backward_##S(long long outer, long long n, long long inner, \
                                                         const T* y, const T* grad, T* grad_in, int log) { \
        weft_softmax::backward<T>(outer, n, inner, y, grad, grad_in, log);                     \
    }
WEFT_SOFTMAX(f32, float)
WEFT_SOFTMAX(f64, double)
WEFT_SOFTMAX(bf16, bf16)
