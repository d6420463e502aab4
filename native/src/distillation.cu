// distillation.cu: the temperature-softmax distillation loss of Hinton et al. fused in one
// kernel per direction (nn/losses/Distillation.java is the composition it replaces):
//   p = softmax(target / T), q = softmax(input / T) over the classes C,
//   loss = T^2 * KL(p || q) = T^2 * sum_c p_c (log p_c - log q_c)        per position.
//
// Layout as cross_entropy.cu: logits [N, C, S] contiguous (S = 1 for [N, C]), per-position
// loss [N, S]; the caller reduces (batchmean: sum / N).
//
// Versions (not yet run on a GPU):
//   version 1  (reference) the composition: two log-softmaxes, then sum p (log p - log q) * T^2.
//   version 2  one 256-thread block per position and ONE pass over both logit rows: with
//              a = target / T and b = input / T, sum_c p_c (log p_c - log q_c)
//              = W / S_a + lse_b - lse_a, where S_a = sum exp(a - m_a) and
//              W = sum exp(a - m_a) (a - b) rescale together when the running max m_a grows,
//              so neither p nor q is ever stored.
//              Backward, with r_c = log p_c - log q_c and KL the per-position divergence:
//              d/d input_c = T (q_c - p_c) g,     d/d target_c = T p_c (r_c - KL) g,
//              one pass for the statistics, one to write.
// With S > 1 a block's reads are S elements apart (uncoalesced), as in cross_entropy.cu.
#include "weft.cuh"

namespace weft_kd {

const int BLOCK = 256;

// Running statistics of one position: for a (target / T): max, sum exp(a - m), sum exp(a - m)(a - b);
// for b (input / T): max, sum exp(b - m).
struct Stats { double ma, sa, w, mb, sb; };

__device__ __forceinline__ double rescale(double m_old, double m_new) {
    return m_old == m_new ? 1.0 : exp(m_old - m_new);  // equal maxima (inf included): factor 1
}

struct Merge {
    __device__ Stats combine(Stats x, Stats y) const {
        Stats r;
        r.ma = x.ma > y.ma ? x.ma : y.ma;
        if (weft_isnan(x.ma) || weft_isnan(y.ma)) r.ma = weft_nan<double>();
        r.mb = x.mb > y.mb ? x.mb : y.mb;
        if (weft_isnan(x.mb) || weft_isnan(y.mb)) r.mb = weft_nan<double>();
        double fx = x.sa == 0 ? 0.0 : rescale(x.ma, r.ma), fy = y.sa == 0 ? 0.0 : rescale(y.ma, r.ma);
        r.sa = x.sa * fx + y.sa * fy;
        r.w = x.w * fx + y.w * fy;
        r.sb = (x.sb == 0 ? 0.0 : x.sb * rescale(x.mb, r.mb)) + (y.sb == 0 ? 0.0 : y.sb * rescale(y.mb, r.mb));
        return r;
    }
};

template <typename T>
__device__ __forceinline__ Stats position_stats(const T* ip, const T* tp, long long C, long long S, double inv_t,
                                                Stats* shared) {
    Merge mg;
    Stats v = {-weft_inf<double>(), 0, 0, -weft_inf<double>(), 0};
    for (long long c = threadIdx.x; c < C; c += BLOCK) {
        double a = (double)weft_load(tp + c * S) * inv_t, b = (double)weft_load(ip + c * S) * inv_t;
        Stats one = {a, 1.0, a - b, b, 1.0};
        // A class of probability zero adds nothing (the limit p log p -> 0; the composition's
        // exp(log p) * (log p - log q) would give 0 * -inf = NaN there).
        if (a == -weft_inf<double>()) { one.sa = 0; one.w = 0; }
        if (b == -weft_inf<double>()) one.sb = 0;
        v = mg.combine(v, one);
    }
    return weft_block_combine<BLOCK>(v, shared, mg);
}

template <typename T>
__device__ __forceinline__ void forward(long long N, long long C, long long S, const T* input, const T* target,
                                        double temperature, T* loss) {
    typedef typename Acc<T>::type A;
    __shared__ Stats shared[BLOCK];
    double inv_t = 1.0 / temperature;
    for (long long pos = blockIdx.x; pos < N * S; pos += gridDim.x) {
        long long n = pos / S, s = pos - n * S;
        long long base = n * C * S + s;
        Stats v = position_stats(input + base, target + base, C, S, inv_t, shared);
        if (threadIdx.x == 0) {
            double kl = v.w / v.sa + (v.mb + log(v.sb)) - (v.ma + log(v.sa));
            weft_store(loss + pos, (A)(temperature * temperature * kl));
        }
    }
}

template <typename T>
__device__ __forceinline__ void backward(long long N, long long C, long long S, const T* input, const T* target,
                                         double temperature, const T* scale, long long scale_stride, T* grad_input,
                                         T* grad_target) {
    typedef typename Acc<T>::type A;
    __shared__ Stats shared[BLOCK];
    double inv_t = 1.0 / temperature;
    for (long long pos = blockIdx.x; pos < N * S; pos += gridDim.x) {
        long long n = pos / S, s = pos - n * S;
        long long base = n * C * S + s;
        Stats v = position_stats(input + base, target + base, C, S, inv_t, shared);
        double lse_a = v.ma + log(v.sa), lse_b = v.mb + log(v.sb);
        double kl = v.w / v.sa + lse_b - lse_a;
        double g = (double)weft_load(scale + pos * scale_stride) * temperature;
        for (long long c = threadIdx.x; c < C; c += BLOCK) {
            long long at = base + c * S;
            double a = (double)weft_load(target + at) * inv_t, b = (double)weft_load(input + at) * inv_t;
            double log_p = a - lse_a, log_q = b - lse_b, p = exp(log_p);
            if (grad_input) weft_store(grad_input + at, (A)(g * (exp(log_q) - p)));
            if (grad_target) weft_store(grad_target + at, (A)(g * p * ((log_p - log_q) - kl)));
        }
    }
}

}  // namespace weft_kd

#define WEFT_KD(SUF, T)                                                                        \
    extern "C" __global__ void weft_kl_distillation_forward_##SUF(long long N, long long C, long long S, \
                                                                  const T* input, const T* target, \
                                                                  double temperature, T* loss) { \
        weft_kd::forward<T>(N, C, S, input, target, temperature, loss);                        \
    }                                                                                          \
    extern "C" __global__ void weft_kl_distillation_backward_##SUF(long long N, long long C, long long S, \
                                                                   const T* input, const T* target, \
                                                                   double temperature, const T* scale, \
                                                                   long long scale_stride, T* grad_input, \
                                                                   T* grad_target) {           \
        weft_kd::backward<T>(N, C, S, input, target, temperature, scale, scale_stride, grad_input, grad_target); \
    }
WEFT_KD(f32, float)
WEFT_KD(f64, double)
WEFT_KD(bf16, bf16)
