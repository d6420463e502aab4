// cross_entropy.cu: cross-entropy with class-index targets fused with the log-softmax over
// the classes, with class weights, ignore_index and label smoothing; forward and backward
// (the CPU backend's NormKernels.crossEntropy, crossEntropyBackward and targetWeights).
//
// Layout: logits [N, C, S] contiguous (S = 1 for plain classification), target [N, S] int64,
// weight [C] or null, per-position loss [N, S]; the caller reduces (sum, or mean divided by
// the sum of the target weights this kernel also writes).
//
// Versions (not yet run on a GPU):
//   version 1  (reference) per position: lse = logsumexp_c x_c;
//              loss = (1 - eps) w_t (lse - x_t) + eps / C * sum_c w_c (lse - x_c),
//              zero where t == ignore_index.
//   version 2  one 256-thread block per position: one pass over the classes carries the
//              online (max, sum exp) pair and the sums of w_c and w_c x_c, so the logits are
//              read once; the block merges them in shared memory.
//              Backward reads them twice: once for lse and sum w, once to write
//              dx_c = scale * (softmax_c * sum_k coef_k - coef_c),
//              coef_c = (1 - eps) w_t [c == t] + eps / C * w_c.
// With S > 1 a block's reads of one position are S elements apart (uncoalesced); planned: a
// thread per position for S > 1, as softmax.cu does for inner > 1.
#include "weft.cuh"

namespace weft_ce {

const int BLOCK = 256;

struct Stats { double m, s, sw, swx; };  // running max, sum exp(x - m), sum w, sum w x
struct Merge {
    __device__ Stats combine(Stats a, Stats b) const {
        Stats r;
        if (weft_isnan(a.m) || weft_isnan(b.m)) r.m = weft_nan<double>();
        else r.m = a.m > b.m ? a.m : b.m;
        double fa = a.m == r.m ? 1.0 : exp(a.m - r.m);
        double fb = b.m == r.m ? 1.0 : exp(b.m - r.m);
        r.s = (a.s == 0 ? 0.0 : a.s * fa) + (b.s == 0 ? 0.0 : b.s * fb);
        r.sw = a.sw + b.sw;
        r.swx = a.swx + b.swx;
        return r;
    }
};

// The statistics of one position's C logits (stride S apart), merged over the block.
template <typename T>
__device__ __forceinline__ Stats position_stats(const T* xp, long long C, long long S, const T* w, Stats* shared) {
    Merge mg;
    Stats v = {-weft_inf<double>(), 0, 0, 0};
    for (long long c = threadIdx.x; c < C; c += BLOCK) {
        double x = (double)weft_load(xp + c * S);
        double wc = w ? (double)weft_load(w + c) : 1.0;
        Stats one = {x, x == -weft_inf<double>() ? 0.0 : 1.0, wc, wc * x};
        v = mg.combine(v, one);
    }
    return weft_block_combine<BLOCK>(v, shared, mg);
}

template <typename T>
__device__ __forceinline__ void forward(long long N, long long C, long long S, const T* x, const long long* target,
                                        const T* w, long long ignore_index, double eps, T* loss, T* target_weight) {
    typedef typename Acc<T>::type A;
    __shared__ Stats shared[BLOCK];
    for (long long pos = blockIdx.x; pos < N * S; pos += gridDim.x) {
        long long n = pos / S, s = pos - n * S;
        const T* xp = x + n * C * S + s;
        long long t = target[pos];
        bool ignored = t == ignore_index;
        Stats v = position_stats(xp, C, S, w, shared);   // every thread joins the barrier
        if (threadIdx.x == 0) {
            double l = 0, wt = 0;
            if (!ignored) {
                double lse = v.m + log(v.s);
                wt = w ? (double)weft_load(w + t) : 1.0;
                l = (1.0 - eps) * wt * (lse - (double)weft_load(xp + t * S));
                if (eps != 0) l += eps / (double)C * (lse * v.sw - v.swx);
            }
            weft_store(loss + pos, (A)l);
            if (target_weight) weft_store(target_weight + pos, (A)wt);
        }
    }
}

template <typename T>
__device__ __forceinline__ void backward(long long N, long long C, long long S, const T* x, const long long* target,
                                         const T* w, long long ignore_index, double eps, const T* scale,
                                         long long scale_stride, T* dx) {
    typedef typename Acc<T>::type A;
    __shared__ Stats shared[BLOCK];
    for (long long pos = blockIdx.x; pos < N * S; pos += gridDim.x) {
        long long n = pos / S, s = pos - n * S;
        const T* xp = x + n * C * S + s;
        T* dp = dx + n * C * S + s;
        long long t = target[pos];
        Stats v = position_stats(xp, C, S, w, shared);
        if (t == ignore_index) {
            for (long long c = threadIdx.x; c < C; c += BLOCK) weft_store(dp + c * S, (A)0);
            continue;
        }
        double g = (double)weft_load(scale + pos * scale_stride);
        double wt = w ? (double)weft_load(w + t) : 1.0;
        double sum_coef = (1.0 - eps) * wt + eps / (double)C * v.sw;
        double lse = v.m + log(v.s);
        for (long long c = threadIdx.x; c < C; c += BLOCK) {
            double p = exp((double)weft_load(xp + c * S) - lse);
            double coef = eps / (double)C * (w ? (double)weft_load(w + c) : 1.0) + (c == t ? (1.0 - eps) * wt : 0.0);
            weft_store(dp + c * S, (A)(g * (p * sum_coef - coef)));
        }
    }
}

}  // namespace weft_ce

#define WEFT_CE(SUF, T)                                                                        \
    extern "C" __global__ void weft_cross_entropy_forward_##SUF(long long N, long long C, long long S, \
                                                                const T* logits, const long long* target, \
                                                                const T* weight, long long ignore_index, \
                                                                double smoothing, T* loss, T* target_weight) { \
        weft_ce::forward<T>(N, C, S, logits, target, weight, ignore_index, smoothing, loss, target_weight); \
    }                                                                                          \
    extern "C" __global__ void weft_cross_entropy_backward_##SUF(long long N, long long C, long long S, \
                                                                 const T* logits, const long long* target, \
                                                                 const T* weight, long long ignore_index, \
                                                                 double smoothing, const T* scale, \
                                                                 long long scale_stride, T* grad_logits) { \
        weft_ce::backward<T>(N, C, S, logits, target, weight, ignore_index, smoothing, scale, scale_stride, \
                             grad_logits);                                                     \
    }
WEFT_CE(f32, float)
WEFT_CE(f64, double)
WEFT_CE(bf16, bf16)
