// optim.cu: fused optimiser steps over one flat parameter buffer: SGD (momentum, dampening,
// Nesterov, weight decay) and AdamW (decoupled weight decay, optional AMSGrad). One kernel
// reads each parameter, its gradient and its state once and writes them once, where the
// unfused step is five to ten elementwise kernels.
//
// Versions (not yet run on a GPU):
//   version 1  (reference) PyTorch's torch.optim.SGD / AdamW single-tensor loops, written
//              below in the comments of each kernel, element by element.
//   version 2  this file: one thread per element, grid-stride, all state in registers.
// The caller packs a parameter group's tensors into one buffer (or launches once per tensor);
// hyper-parameters that depend on the step count (bias corrections) are computed on the host.
// Arithmetic in float for f32 parameters (PyTorch's own precision), double for f64.
#include "weft.cuh"

namespace weft_optim {

// PyTorch SGD, per element:
//   g = grad + weight_decay * p
//   if momentum != 0:
//       buf = g                                   on the first step
//       buf = momentum * buf + (1 - dampening) * g otherwise
//       g = g + momentum * buf   if nesterov   else   g = buf
//   p = p - lr * g            (maximize: the gradient's sign flipped first)
template <typename T>
__device__ __forceinline__ void sgd(long long n, T* p, const T* grad, T* buf, T lr, T momentum, T dampening,
                                    T weight_decay, int nesterov, int maximize, int first_step) {
    WEFT_GRID_STRIDE(i, n) {
        T g = maximize ? -grad[i] : grad[i];
        T pv = p[i];
        if (weight_decay != (T)0) g += weight_decay * pv;
        if (momentum != (T)0) {
            T b = first_step ? g : momentum * buf[i] + ((T)1 - dampening) * g;
            buf[i] = b;
            g = nesterov ? g + momentum * b : b;
        }
        p[i] = pv - lr * g;
    }
}

// PyTorch AdamW (foreach=False), per element, with bias_correction1 = 1 - beta1^step and
// bias_correction2_sqrt = sqrt(1 - beta2^step) from the host:
//   p = p * (1 - lr * weight_decay)
//   m = beta1 * m + (1 - beta1) * g            (PyTorch's lerp(g, 1 - beta1))
//   v = beta2 * v + (1 - beta2) * g * g
//   vmax = max(vmax, v)                        if amsgrad; then v below is vmax
//   denom = sqrt(v) / bias_correction2_sqrt + eps
//   p = p - (lr / bias_correction1) * m / denom
template <typename T>
__device__ __forceinline__ void adamw(long long n, T* p, const T* grad, T* m, T* v, T* vmax, T lr, T beta1, T beta2,
                                      T eps, T weight_decay, T bias_correction1, T bias_correction2_sqrt,
                                      int maximize) {
    T step_size = lr / bias_correction1;
    T decay = (T)1 - lr * weight_decay;
    WEFT_GRID_STRIDE(i, n) {
        T g = maximize ? -grad[i] : grad[i];
        T pv = p[i] * decay;
        T mv = m[i] + ((T)1 - beta1) * (g - m[i]);
        T vv = beta2 * v[i] + ((T)1 - beta2) * g * g;
        m[i] = mv;
        v[i] = vv;
        if (vmax) {
            T mx = vmax[i] > vv ? vmax[i] : vv;
            vmax[i] = mx;
            vv = mx;
        }
        T denom = sqrt(vv) / bias_correction2_sqrt + eps;
        p[i] = pv - step_size * mv / denom;
    }
}

}  // namespace weft_optim

#define WEFT_OPTIM(S, T)                                                                       \
    extern "C" __global__ void weft_optim_sgd_##S(long long n, T* param, const T* grad, T* momentum_buffer, \
                                                  T lr, T momentum, T dampening, T weight_decay, \
                                                  int nesterov, int maximize, int first_step) { \
        weft_optim::sgd<T>(n, param, grad, momentum_buffer, lr, momentum, dampening, weight_decay, nesterov, \
                           maximize, first_step);                                              \
    }                                                                                          \
    extern "C" __global__ void weft_optim_adamw_##S(long long n, T* param, const T* grad, T* exp_avg, \
                                                    T* exp_avg_sq, T* max_exp_avg_sq, T lr, T beta1, \
                                                    T beta2, T eps, T weight_decay,            \
                                                    T bias_correction1, T bias_correction2_sqrt, \
                                                    int maximize) {                            \
        weft_optim::adamw<T>(n, param, grad, exp_avg, exp_avg_sq, max_exp_avg_sq, lr, beta1, beta2, eps, \
                             weight_decay, bias_correction1, bias_correction2_sqrt, maximize); \
    }
WEFT_OPTIM(f32, float)
WEFT_OPTIM(f64, double)
