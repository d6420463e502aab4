// window_attention.cu: Swin's windowed multi-head self-attention fused per (window, head),
// forward and backward, from the qkv projection's output to the input of the output
// projection (nn/models/ShiftedWindowAttention.java is the composition it replaces):
//   S = (q * scale) k^T + bias[h] + mask[window % mask_windows];  P = softmax_rows(S);  O = P v
// Windows hold n <= 64 tokens (7 x 7 = 49 in every standard Swin), heads hd <= 32 features
// (32 in all of them); larger shapes stay with the composition. Attention dropout is not
// fused: callers with p > 0 while training use the composition.
//
// Layouts (contiguous): qkv [BW, n, 3, H, hd] (the qkv Linear's output [BW*n, 3*H*hd] viewed),
// out [BW, n, H, hd] (what the output projection reads), bias [H, n, n] (the relative-position
// bias gathered from its table), mask [mask_windows, n, n] or null (window w uses
// w % mask_windows, so BW may be a batch of images times their windows), lse [BW, H, n].
//
// Versions (not yet run on a GPU):
//   version 1  (reference) the composition: two batched matmuls, two adds, a softmax.
//   version 2  one 128-thread block per (window, head): q, k, v and the n x n scores live in
//              shared memory (42 KB at n = 64), so S and P never reach global memory; a warp
//              per row does the softmax with shuffles. The forward saves only the row
//              log-sum-exps; the backward recomputes P from them (as FlashAttention does) and
//              forms dV = P^T dO, D_i = sum_j P_ij dP_ij, dS = P (dP - D), dQ = scale dS K,
//              dK = dS^T (q scale), reusing one buffer for q, then dO, then q again to stay
//              under 48 KB of static shared memory. dbias is written per window (the caller
//              sums over windows with weft_reduce_sum): no atomics, deterministic.
// Planned: several heads per block and mma.sync for the two products once n and hd are
// measured to make the scalar loops the bottleneck; a bf16 variant.
#include "weft.cuh"

namespace weft_wattn {

const int NMAX = 64, DMAX = 32, THREADS = 128, PAD = 1;

struct Shape {
    long long windows;  // BW
    int n, heads, hd, mask_windows;
    float scale;
};

// Loads one of q, k, v (which = 0, 1, 2) of window w, head h into s[n][DMAX + PAD], times mul.
__device__ __forceinline__ void load_qkv(float (*s)[DMAX + PAD], const float* qkv, const Shape& q, long long w, int h,
                                         int which, float mul) {
    long long C = (long long)q.heads * q.hd;
    for (int e = threadIdx.x; e < q.n * q.hd; e += THREADS) {
        int i = e / q.hd, d = e - i * q.hd;
        s[i][d] = qkv[((w * q.n + i) * 3 + which) * C + (long long)h * q.hd + d] * mul;
    }
}

// S_ij = q_i . k_j + bias + mask for every (i, j).
__device__ __forceinline__ void scores(float (*sq)[DMAX + PAD], float (*sk)[DMAX + PAD], float (*ss)[NMAX + PAD],
                                       const float* bias, const float* mask, const Shape& q, long long w, int h) {
    const float* b = bias ? bias + (long long)h * q.n * q.n : 0;
    const float* m = mask ? mask + (w % q.mask_windows) * q.n * q.n : 0;
    for (int e = threadIdx.x; e < q.n * q.n; e += THREADS) {
        int i = e / q.n, j = e - i * q.n;
        float acc = 0.f;
        for (int d = 0; d < q.hd; ++d) acc += sq[i][d] * sk[j][d];
        if (b) acc += b[e];
        if (m) acc += m[e];
        ss[i][j] = acc;
    }
}

__device__ void forward(const Shape& q, const float* qkv, const float* bias, const float* mask, float* out,
                        float* lse) {
    __shared__ float sq[NMAX][DMAX + PAD], sk[NMAX][DMAX + PAD], sv[NMAX][DMAX + PAD];
    __shared__ float ss[NMAX][NMAX + PAD];
    long long w = blockIdx.x / q.heads;
    int h = (int)(blockIdx.x - w * q.heads);
    load_qkv(sq, qkv, q, w, h, 0, q.scale);
    load_qkv(sk, qkv, q, w, h, 1, 1.f);
    load_qkv(sv, qkv, q, w, h, 2, 1.f);
    __syncthreads();
    scores(sq, sk, ss, bias, mask, q, w, h);
    __syncthreads();

    // softmax: a warp per row, each lane two columns (n <= 64)
    int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
    for (int i = warp; i < q.n; i += THREADS / 32) {
        float a = lane < q.n ? ss[i][lane] : -weft_inf<float>();
        float b = lane + 32 < q.n ? ss[i][lane + 32] : -weft_inf<float>();
        float mx = a > b ? a : b;
        for (int o = 16; o > 0; o >>= 1) {
            float other = __shfl_xor_sync(0xffffffffu, mx, o);
            mx = other > mx ? other : mx;
        }
        float ea = lane < q.n ? expf(a - mx) : 0.f, eb = lane + 32 < q.n ? expf(b - mx) : 0.f;
        float sum = ea + eb;
        for (int o = 16; o > 0; o >>= 1) sum += __shfl_xor_sync(0xffffffffu, sum, o);
        float inv = 1.f / sum;
        if (lane < q.n) ss[i][lane] = ea * inv;
        if (lane + 32 < q.n) ss[i][lane + 32] = eb * inv;
        if (lane == 0) lse[(w * q.heads + h) * q.n + i] = mx + logf(sum);
    }
    __syncthreads();

    long long C = (long long)q.heads * q.hd;
    for (int e = threadIdx.x; e < q.n * q.hd; e += THREADS) {
        int i = e / q.hd, d = e - i * q.hd;
        float acc = 0.f;
        for (int j = 0; j < q.n; ++j) acc += ss[i][j] * sv[j][d];
        out[(w * q.n + i) * C + (long long)h * q.hd + d] = acc;
    }
}

__device__ void backward(const Shape& q, const float* qkv, const float* bias, const float* mask, const float* lse,
                         const float* grad_out, float* grad_qkv, float* grad_bias_windows) {
    __shared__ float sa[NMAX][DMAX + PAD], sk[NMAX][DMAX + PAD], sv[NMAX][DMAX + PAD];  // sa: q, then dO, then q
    __shared__ float ss[NMAX][NMAX + PAD];                                           // S, then P, then dS
    __shared__ float sd[NMAX];                                                       // D_i
    long long w = blockIdx.x / q.heads;
    int h = (int)(blockIdx.x - w * q.heads);
    long long C = (long long)q.heads * q.hd;
    const float* row_lse = lse + (w * q.heads + h) * q.n;

    load_qkv(sa, qkv, q, w, h, 0, q.scale);
    load_qkv(sk, qkv, q, w, h, 1, 1.f);
    __syncthreads();
    scores(sa, sk, ss, bias, mask, q, w, h);
    __syncthreads();
    for (int e = threadIdx.x; e < q.n * q.n; e += THREADS) {  // P from the saved log-sum-exps
        int i = e / q.n, j = e - i * q.n;
        ss[i][j] = expf(ss[i][j] - row_lse[i]);
    }
    // dO into sa (q is not needed until dK), v into sv
    __syncthreads();
    for (int e = threadIdx.x; e < q.n * q.hd; e += THREADS) {
        int i = e / q.hd, d = e - i * q.hd;
        sa[i][d] = grad_out[(w * q.n + i) * C + (long long)h * q.hd + d];
    }
    load_qkv(sv, qkv, q, w, h, 2, 1.f);
    __syncthreads();

    // D_i = sum_j P_ij dP_ij, dP_ij = dO_i . v_j
    for (int i = threadIdx.x; i < q.n; i += THREADS) {
        float acc = 0.f;
        for (int j = 0; j < q.n; ++j) {
            float dp = 0.f;
            for (int d = 0; d < q.hd; ++d) dp += sa[i][d] * sv[j][d];
            acc += ss[i][j] * dp;
        }
        sd[i] = acc;
    }
    // dV_j = sum_i P_ij dO_i
    for (int e = threadIdx.x; e < q.n * q.hd; e += THREADS) {
        int j = e / q.hd, d = e - j * q.hd;
        float acc = 0.f;
        for (int i = 0; i < q.n; ++i) acc += ss[i][j] * sa[i][d];
        grad_qkv[((w * q.n + j) * 3 + 2) * C + (long long)h * q.hd + d] = acc;
    }
    __syncthreads();

    // dS_ij = P_ij (dP_ij - D_i), in place: each entry reads only its own P
    for (int e = threadIdx.x; e < q.n * q.n; e += THREADS) {
        int i = e / q.n, j = e - i * q.n;
        float dp = 0.f;
        for (int d = 0; d < q.hd; ++d) dp += sa[i][d] * sv[j][d];
        float ds = ss[i][j] * (dp - sd[i]);
        ss[i][j] = ds;
        if (grad_bias_windows) grad_bias_windows[(w * q.heads + h) * q.n * q.n + e] = ds;
    }
    __syncthreads();
    load_qkv(sa, qkv, q, w, h, 0, q.scale);  // q again, for dK
    __syncthreads();

    for (int e = threadIdx.x; e < q.n * q.hd; e += THREADS) {
        int r = e / q.hd, d = e - r * q.hd;
        float dq = 0.f, dk = 0.f;
        for (int j = 0; j < q.n; ++j) dq += ss[r][j] * sk[j][d];  // dq_r = scale * sum_j dS_rj k_j
        for (int i = 0; i < q.n; ++i) dk += ss[i][r] * sa[i][d];  // dk_r = sum_i dS_ir (q_i scale)
        grad_qkv[((w * q.n + r) * 3 + 0) * C + (long long)h * q.hd + d] = dq * q.scale;
        grad_qkv[((w * q.n + r) * 3 + 1) * C + (long long)h * q.hd + d] = dk;
    }
}

}  // namespace weft_wattn

extern "C" __global__ void __launch_bounds__(128)
weft_window_attention_forward_f32(long long windows, int n, int heads, int hd, int mask_windows, float scale,
                                  const float* qkv, const float* bias, const float* mask, float* out, float* lse) {
    weft_wattn::Shape q = {windows, n, heads, hd, mask_windows, scale};
    weft_wattn::forward(q, qkv, bias, mask, out, lse);
}

extern "C" __global__ void __launch_bounds__(128)
weft_window_attention_backward_f32(long long windows, int n, int heads, int hd, int mask_windows, float scale,
                                   const float* qkv, const float* bias, const float* mask, const float* lse,
                                   const float* grad_out, float* grad_qkv, float* grad_bias_windows) {
    weft_wattn::Shape q = {windows, n, heads, hd, mask_windows, scale};
    weft_wattn::backward(q, qkv, bias, mask, lse, grad_out, grad_qkv, grad_bias_windows);
}
