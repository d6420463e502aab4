// weft_mma.cuh: the tensor-core building blocks the tiled GEMM (gemm.cu) and the implicit-GEMM
// convolution (conv.cu) share: the 128 x 128 block tile and its padded shared-memory layout,
// cp.async, TF32 rounding, the mma.sync instructions (inline PTX, sm_80 and later) and the
// multiplication of one staged K slice by a block's 8 warps. Includes only weft.cuh, for NVRTC.
// Not yet run on a GPU.
#pragma once
#include "weft.cuh"

namespace weft_mma {

const int BM = 128, BN = 128, THREADS = 256;

template <typename T> struct Shape;
template <> struct Shape<float> { static const int BK = 16, VEC = 4, PAD_K = 4, PAD_MN = 8; };
template <> struct Shape<bf16> { static const int BK = 32, VEC = 8, PAD_K = 8, PAD_MN = 8; };

// One operand's tile in shared memory, indexed by its logical (mn, k): mn along M (for A) or
// N (for B), k along K. KMAJOR: k is the contiguous dimension in global memory and here.
// Padding (see the bank arithmetic in ABI.md) keeps every row 16-byte aligned.
template <typename T, int EXTENT, bool KMAJOR> struct Tile {
    static const int BK = Shape<T>::BK;
    static const int ROWS = KMAJOR ? EXTENT : BK;
    static const int COLS = KMAJOR ? BK : EXTENT;
    static const int STRIDE = COLS + (KMAJOR ? Shape<T>::PAD_K : Shape<T>::PAD_MN);
    static const int SIZE = ROWS * STRIDE;  // elements per stage
    static __device__ __forceinline__ int index(int mn, int k) { return KMAJOR ? mn * STRIDE + k : k * STRIDE + mn; }
};

__device__ __forceinline__ unsigned smem_addr(const void* p) {
    return (unsigned)__cvta_generic_to_shared(p);
}

// 16 bytes global -> shared, asynchronously; the bytes past src_bytes are zero-filled.
__device__ __forceinline__ void cp_async16(void* dst, const void* src, int src_bytes) {
    asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n" ::"r"(smem_addr(dst)), "l"(src), "r"(src_bytes));
}
__device__ __forceinline__ void cp_async_commit() { asm volatile("cp.async.commit_group;\n" ::); }
template <int N> __device__ __forceinline__ void cp_async_wait() { asm volatile("cp.async.wait_group %0;\n" ::"n"(N)); }

__device__ __forceinline__ unsigned to_tf32(float x) {
    unsigned r;
    asm("cvt.rna.tf32.f32 %0, %1;\n" : "=r"(r) : "f"(x));
    return r;
}

__device__ __forceinline__ void mma_tf32(float* c, const unsigned* a, const unsigned* b) {
    asm volatile(
        "mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};\n"
        : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]));
}

__device__ __forceinline__ void mma_bf16(float* c, const unsigned* a, const unsigned* b) {
    asm volatile(
        "mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};\n"
        : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]));
}

// Two consecutive-k bf16 values as one register, the lower k in the lower half (k even).
template <typename L>
__device__ __forceinline__ unsigned pair(const bf16* s, int mn, int k, bool kmajor) {
    if (kmajor) return *(const unsigned*)(s + L::index(mn, k));
    return (unsigned)s[L::index(mn, k)].bits | ((unsigned)s[L::index(mn, k + 1)].bits << 16);
}

// The mma fragments of one K slice for a warp's 64 x 32 tile, multiplied into acc.
// Fragment layouts (PTX ISA, mma.m16n8k8 .tf32 and .m16n8k16 .bf16), g = lane / 4, t = lane % 4:
//   tf32 A: (g, t) (g+8, t) (g, t+4) (g+8, t+4)        B: (k=t, n=g) (k=t+4, n=g)
//   bf16 A: (g, 2t..) (g+8, 2t..) (g, 2t+8..) (g+8, 2t+8..)   B: (k=2t.., n=g) (k=2t+8.., n=g)
//   C:      (g, 2t) (g, 2t+1) (g+8, 2t) (g+8, 2t+1)
template <int SPLIT, bool AK, bool BK_>
__device__ __forceinline__ void multiply_slice(const float* sa, const float* sb, float (&acc)[4][4][4], int wm, int wn,
                                               int g, int t) {
    typedef Tile<float, BM, AK> LA;
    typedef Tile<float, BN, BK_> LB;
    #pragma unroll
    for (int kk = 0; kk < Shape<float>::BK; kk += 8) {
        unsigned ah[4][4], al[4][4], bh[4][2], bl[4][2];
        #pragma unroll
        for (int mi = 0; mi < 4; ++mi) {
            int m = wm * 64 + mi * 16 + g;
            float v[4] = {sa[LA::index(m, kk + t)], sa[LA::index(m + 8, kk + t)], sa[LA::index(m, kk + t + 4)],
                          sa[LA::index(m + 8, kk + t + 4)]};
            #pragma unroll
            for (int r = 0; r < 4; ++r) {
                ah[mi][r] = to_tf32(v[r]);
                if (SPLIT == 3) al[mi][r] = to_tf32(v[r] - __uint_as_float(ah[mi][r]));
            }
        }
        #pragma unroll
        for (int ni = 0; ni < 4; ++ni) {
            int n = wn * 32 + ni * 8 + g;
            float v[2] = {sb[LB::index(n, kk + t)], sb[LB::index(n, kk + t + 4)]};
            #pragma unroll
            for (int r = 0; r < 2; ++r) {
                bh[ni][r] = to_tf32(v[r]);
                if (SPLIT == 3) bl[ni][r] = to_tf32(v[r] - __uint_as_float(bh[ni][r]));
            }
        }
        #pragma unroll
        for (int mi = 0; mi < 4; ++mi)
            #pragma unroll
            for (int ni = 0; ni < 4; ++ni) {
                if (SPLIT == 3) {  // small terms first, so they are not lost against the big one
                    mma_tf32(acc[mi][ni], al[mi], bh[ni]);
                    mma_tf32(acc[mi][ni], ah[mi], bl[ni]);
                }
                mma_tf32(acc[mi][ni], ah[mi], bh[ni]);
            }
    }
}

template <int SPLIT, bool AK, bool BK_>
__device__ __forceinline__ void multiply_slice(const bf16* sa, const bf16* sb, float (&acc)[4][4][4], int wm, int wn,
                                               int g, int t) {
    typedef Tile<bf16, BM, AK> LA;
    typedef Tile<bf16, BN, BK_> LB;
    #pragma unroll
    for (int kk = 0; kk < Shape<bf16>::BK; kk += 16) {
        unsigned af[4][4], bfr[4][2];
        #pragma unroll
        for (int mi = 0; mi < 4; ++mi) {
            int m = wm * 64 + mi * 16 + g;
            af[mi][0] = pair<LA>(sa, m, kk + 2 * t, AK);
            af[mi][1] = pair<LA>(sa, m + 8, kk + 2 * t, AK);
            af[mi][2] = pair<LA>(sa, m, kk + 2 * t + 8, AK);
            af[mi][3] = pair<LA>(sa, m + 8, kk + 2 * t + 8, AK);
        }
        #pragma unroll
        for (int ni = 0; ni < 4; ++ni) {
            int n = wn * 32 + ni * 8 + g;
            bfr[ni][0] = pair<LB>(sb, n, kk + 2 * t, BK_);
            bfr[ni][1] = pair<LB>(sb, n, kk + 2 * t + 8, BK_);
        }
        #pragma unroll
        for (int mi = 0; mi < 4; ++mi)
            #pragma unroll
            for (int ni = 0; ni < 4; ++ni) mma_bf16(acc[mi][ni], af[mi], bfr[ni]);
    }
}

// 4 bytes global -> shared, asynchronously; src_bytes 0 writes a zero (a padding tap).
__device__ __forceinline__ void cp_async4(void* dst, const void* src, int src_bytes) {
    asm volatile("cp.async.ca.shared.global [%0], [%1], 4, %2;\n" ::"r"(smem_addr(dst)), "l"(src), "r"(src_bytes));
}

}  // namespace weft_mma
