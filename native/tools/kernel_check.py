#!/usr/bin/env python3
"""Launches kernels of weft_kernels.fatbin through the CUDA driver API (ctypes) on PyTorch's
CUDA tensors and holds each against PyTorch: a check of the native module on its own, for a
machine with a GPU and PyTorch (the lent one), before and beside the Java backend's GPU suite.
Every launch follows ABI.md (names, parameter order, block and grid), so this file is also a
worked example of the ABI. Prints one line per check and exits 1 if any fails.

  kernel_check.py FATBIN

Not yet run: written on a machine without a GPU.
"""
import ctypes
import sys

import torch
import torch.nn.functional as F

c_ll, c_int, c_f32, c_f64, c_ptr = ctypes.c_longlong, ctypes.c_int, ctypes.c_float, ctypes.c_double, ctypes.c_void_p


class WeftStrides(ctypes.Structure):
    _fields_ = [('ndim', ctypes.c_int), ('pad', ctypes.c_int),
                ('sizes', ctypes.c_longlong * 8), ('strides', ctypes.c_longlong * 8)]


class WeftMmdKernels(ctypes.Structure):
    _fields_ = [('count', ctypes.c_int), ('pad', ctypes.c_int), ('multipliers', ctypes.c_double * 8)]


def desc(t, shape=None):
    """t's strides over `shape` (broadcast = stride 0); the contiguous fast path when it applies."""
    shape = list(t.shape if shape is None else shape)
    d = WeftStrides()
    if list(t.shape) == shape and t.is_contiguous():
        d.ndim, d.sizes[0], d.strides[0] = 1, max(t.numel(), 1), 1
        return d
    e = t.expand(shape)
    d.ndim = len(shape)
    for k, (s, st) in enumerate(zip(shape, e.stride())):
        d.sizes[k], d.strides[k] = s, st
    return d


def ptr(t):
    return c_ptr(0 if t is None else t.data_ptr())


class Fatbin:
    def __init__(self, path):
        torch.zeros(1, device='cuda')  # creates the primary context PyTorch and we share
        self.cu = ctypes.CDLL('libcuda.so.1')
        self.cu.cuLaunchKernel.argtypes = [c_ptr] + [ctypes.c_uint] * 7 + [c_ptr, c_ptr, c_ptr]
        self.ok(self.cu.cuInit(0), 'cuInit')
        dev, ctx = ctypes.c_int(), c_ptr()
        self.ok(self.cu.cuDeviceGet(ctypes.byref(dev), 0), 'cuDeviceGet')
        self.ok(self.cu.cuDevicePrimaryCtxRetain(ctypes.byref(ctx), dev), 'cuDevicePrimaryCtxRetain')
        self.ok(self.cu.cuCtxSetCurrent(ctx), 'cuCtxSetCurrent')
        self.image = ctypes.create_string_buffer(open(path, 'rb').read())
        self.module = c_ptr()
        self.ok(self.cu.cuModuleLoadData(ctypes.byref(self.module), self.image), 'cuModuleLoadData')

    def ok(self, rc, what):
        if rc != 0:
            name = ctypes.c_char_p()
            self.cu.cuGetErrorName(rc, ctypes.byref(name))
            raise RuntimeError('%s failed: %s' % (what, name.value.decode() if name.value else rc))

    def launch(self, name, grid, block, *args):
        f = c_ptr()
        self.ok(self.cu.cuModuleGetFunction(ctypes.byref(f), self.module, name.encode()), name)
        grid = tuple(grid) + (1,) * (3 - len(grid))
        block = tuple(block) + (1,) * (3 - len(block))
        params = (c_ptr * len(args))(*[ctypes.cast(ctypes.pointer(a), c_ptr) for a in args])
        torch.cuda.synchronize()
        self.ok(self.cu.cuLaunchKernel(f, *grid, *block, 0, None, params, None), name)
        self.ok(self.cu.cuCtxSynchronize(), name + ' (execution)')


def e_grid(n):
    return (max(1, min((n + 255) // 256, 2 ** 31 - 1)),)


def rel(got, want):
    got, want = got.double(), want.double()
    return ((got - want).norm() / max(want.norm().item(), 1e-30)).item()


failures = []


def report(name, err, tol):
    ok = err <= tol
    print('%-6s %-44s rel err %.2e (tol %.0e)' % ('ok' if ok else 'FAILED', name, err, tol))
    if not ok:
        failures.append(name)


def main(path):
    k = Fatbin(path)
    dev = 'cuda'
    g = torch.Generator(device=dev).manual_seed(0)

    def randn(*shape, dtype=torch.float32):
        return torch.randn(*shape, generator=g, device=dev, dtype=dtype)

    # copy: a transposed view into a contiguous array
    x = randn(37, 53).t()
    out = torch.empty(53, 37, device=dev)
    k.launch('weft_copy_b4', e_grid(x.numel()), (256,), c_ll(x.numel()), ptr(x), desc(x, x.shape), ptr(out),
             desc(out))
    report('copy_b4 strided', rel(out, x.contiguous()), 0)

    # convert f32 -> bf16 (round to nearest even both sides)
    x = randn(4099)
    out = torch.empty(4099, device=dev, dtype=torch.bfloat16)
    k.launch('weft_convert_f32_bf16', e_grid(x.numel()), (256,), c_ll(x.numel()), ptr(x), desc(x), ptr(out))
    report('convert_f32_bf16', rel(out.float(), x.to(torch.bfloat16).float()), 0)

    # unary, f32, strided input
    base = randn(65, 31).t()
    for op, fn, shift in [('exp', torch.exp, 0), ('log', torch.log, 1), ('tanh', torch.tanh, 0),
                          ('sigmoid', torch.sigmoid, 0), ('erf', torch.erf, 0), ('rsqrt', torch.rsqrt, 1),
                          ('gelu_erf', F.gelu, 0), ('gelu_tanh', lambda t: F.gelu(t, approximate='tanh'), 0)]:
        xi = base.abs() + 0.1 if shift else base
        out = torch.empty(xi.shape, device=dev)
        k.launch('weft_unary_%s_f32' % op, e_grid(xi.numel()), (256,), c_ll(xi.numel()), ptr(xi),
                 desc(xi, xi.shape), ptr(out))
        report('unary_%s_f32' % op, rel(out, fn(xi)), 1e-6)

    # binary with broadcasting, and a comparison
    a, b = randn(4, 1, 6), randn(5, 1)
    shape = (4, 5, 6)
    for op, fn in [('add', torch.add), ('maximum', torch.maximum), ('pow', None)]:
        aa = a.abs() + 0.5 if op == 'pow' else a
        out = torch.empty(shape, device=dev)
        k.launch('weft_binary_%s_f32' % op, e_grid(120), (256,), c_ll(120), ptr(aa), desc(aa, shape), ptr(b),
                 desc(b, shape), ptr(out))
        report('binary_%s_f32 broadcast' % op, rel(out, (fn or torch.pow)(aa, b)), 1e-6)
    out = torch.empty(shape, device=dev, dtype=torch.uint8)
    k.launch('weft_compare_lt_f32', e_grid(120), (256,), c_ll(120), ptr(a), desc(a, shape), ptr(b),
             desc(b, shape), ptr(out))
    report('compare_lt_f32', rel(out.float(), (a < b).float()), 0)

    # reductions over the middle axis, inner == 1 and inner > 1
    for outer, r, inner in [(3, 1000, 1), (4, 50, 7)]:
        x = randn(outer, r, inner)
        grid = (min(outer, 65535),) if inner == 1 else e_grid(outer * inner)
        args = (c_ll(outer), c_ll(r), c_ll(inner), ptr(x))
        out = torch.empty(outer, inner, device=dev)
        k.launch('weft_reduce_sum_f32', grid, (256,), *args, ptr(out))
        report('reduce_sum_f32 inner=%d' % inner, rel(out, x.double().sum(1)), 1e-6)
        k.launch('weft_reduce_var_f32', grid, (256,), *args, ptr(out), c_f64(1.0), c_int(0))
        report('reduce_var_f32 inner=%d' % inner, rel(out, x.double().var(1)), 1e-6)
        k.launch('weft_reduce_logsumexp_f32', grid, (256,), *args, ptr(out))
        report('reduce_logsumexp_f32 inner=%d' % inner, rel(out, x.double().logsumexp(1)), 1e-6)
        k.launch('weft_reduce_norm_f32', grid, (256,), *args, ptr(out), c_f64(3.0))
        report('reduce_norm_f32 p=3 inner=%d' % inner, rel(out, x.double().norm(3, dim=1)), 1e-6)
        idx = torch.empty(outer, inner, device=dev, dtype=torch.int64)
        k.launch('weft_reduce_arg_extreme_f32', grid, (256,), *args, ptr(out), ptr(idx), c_int(1))
        report('reduce_arg_extreme_f32 inner=%d' % inner, rel(idx.double(), x.argmax(1).double()), 0)

    # softmax / log-softmax, forward and backward
    for outer, n, inner in [(6, 300, 1), (3, 40, 5)]:
        x = randn(outer, n, inner).requires_grad_()
        grid = (min(outer, 65535),) if inner == 1 else e_grid(outer * inner)
        for log in (0, 1):
            ref = (F.log_softmax if log else F.softmax)(x, 1)
            gy = randn(outer, n, inner)
            (gx_ref,) = torch.autograd.grad(ref, x, gy)
            y, gx = torch.empty_like(gy), torch.empty_like(gy)
            k.launch('weft_softmax_forward_f32', grid, (256,), c_ll(outer), c_ll(n), c_ll(inner), ptr(x), ptr(y),
                     c_int(log))
            k.launch('weft_softmax_backward_f32', grid, (256,), c_ll(outer), c_ll(n), c_ll(inner), ptr(y), ptr(gy),
                     ptr(gx), c_int(log))
            report('softmax log=%d inner=%d forward' % (log, inner), rel(y, ref.detach()), 1e-6)
            report('softmax log=%d inner=%d backward' % (log, inner), rel(gx, gx_ref), 1e-5)

    # layer norm
    M, K = 37, 300
    x, w, b = randn(M, K).requires_grad_(), randn(K).requires_grad_(), randn(K).requires_grad_()
    ref = F.layer_norm(x, (K,), w, b, 1e-5)
    gy = randn(M, K)
    gx_ref, gw_ref, gb_ref = torch.autograd.grad(ref, (x, w, b), gy)
    y, mean, invstd = torch.empty(M, K, device=dev), torch.empty(M, device=dev), torch.empty(M, device=dev)
    k.launch('weft_layernorm_forward_f32', (M,), (256,), c_ll(M), c_ll(K), ptr(x), ptr(w), ptr(b), c_f64(1e-5),
             ptr(y), ptr(mean), ptr(invstd))
    gx, gw, gb = torch.empty(M, K, device=dev), torch.empty(K, device=dev), torch.empty(K, device=dev)
    k.launch('weft_layernorm_backward_input_f32', (M,), (256,), c_ll(M), c_ll(K), ptr(gy), ptr(x), ptr(w),
             ptr(mean), ptr(invstd), ptr(gx))
    k.launch('weft_layernorm_backward_params_f32', e_grid(K), (256,), c_ll(M), c_ll(K), ptr(gy), ptr(x),
             ptr(mean), ptr(invstd), ptr(gw), ptr(gb))
    report('layernorm forward', rel(y, ref.detach()), 1e-5)
    report('layernorm backward input', rel(gx, gx_ref), 1e-5)
    report('layernorm backward weight, bias', max(rel(gw, gw_ref), rel(gb, gb_ref)), 1e-5)

    # cross-entropy with weights, label smoothing and ignore_index
    N, C = 33, 17
    x = randn(N, C).requires_grad_()
    t = torch.randint(0, C, (N,), generator=g, device=dev)
    t[3] = -100
    wt = randn(C).abs() + 0.1
    ref = F.cross_entropy(x, t, weight=wt, ignore_index=-100, label_smoothing=0.1, reduction='none')
    gl = randn(N)
    (gx_ref,) = torch.autograd.grad(ref, x, gl)
    loss, tw, gx = torch.empty(N, device=dev), torch.empty(N, device=dev), torch.empty(N, C, device=dev)
    args = (c_ll(N), c_ll(C), c_ll(1), ptr(x), ptr(t), ptr(wt), c_ll(-100), c_f64(0.1))
    k.launch('weft_cross_entropy_forward_f32', (N,), (256,), *args, ptr(loss), ptr(tw))
    k.launch('weft_cross_entropy_backward_f32', (N,), (256,), *args, ptr(gl), c_ll(1), ptr(gx))
    report('cross_entropy forward', rel(loss, ref.detach()), 1e-5)
    report('cross_entropy backward', rel(gx, gx_ref), 1e-5)

    # GEMM: naive, and the tensor-core kernels in every layout, odd sizes, batched
    B, M, N, K = 2, 130, 70, 45
    A, Bm = randn(B, M, K), randn(B, K, N)
    want = A.double() @ Bm.double()
    c = torch.empty(B, M, N, device=dev)
    k.launch('weft_gemm_naive_f32', ((N + 15) // 16, (M + 15) // 16, B), (16, 16), c_int(M), c_int(N), c_int(K),
             ptr(A), c_ll(K), c_ll(1), c_ll(M * K), ptr(Bm), c_ll(N), c_ll(1), c_ll(K * N), ptr(c), c_ll(N),
             c_ll(M * N), ptr(None), c_f32(1.0), c_f32(0.0))
    report('gemm_naive_f32', rel(c, want), 1e-5)

    def padded(t, ld):  # t [B, R, L] stored with leading dimension ld >= L, a multiple of 8
        s = torch.zeros(t.shape[0], t.shape[1], ld, device=dev, dtype=t.dtype)
        s[:, :, :t.shape[2]] = t
        return s

    for name, dtype, tol in [('tf32', torch.float32, 5e-3), ('tf32x3', torch.float32, 1e-5),
                             ('bf16', torch.bfloat16, 1e-2)]:
        for layout in ('nn', 'nt', 'tn', 'tt'):
            a_st = A.transpose(1, 2) if layout[0] == 't' else A      # stored K x M, or M x K
            b_st = Bm.transpose(1, 2) if layout[1] == 't' else Bm    # stored N x K, or K x N
            lda, ldb = (a_st.shape[2] + 7) // 8 * 8, (b_st.shape[2] + 7) // 8 * 8
            sa, sb = padded(a_st.to(dtype), lda), padded(b_st.to(dtype), ldb)
            bias = randn(N).to(dtype)
            c = randn(B, M, N).to(dtype)
            c0 = c.clone()
            ref = (0.5 * (A.to(dtype).double() @ Bm.to(dtype).double()) + 0.25 * c0.double()
                   + bias.double())
            k.launch('weft_gemm_%s_%s' % (name, layout), ((N + 127) // 128, (M + 127) // 128, B), (256,),
                     c_int(M), c_int(N), c_int(K), ptr(sa), c_ll(lda), c_ll(sa[0].numel()), ptr(sb), c_ll(ldb),
                     c_ll(sb[0].numel()), ptr(c), c_ll(N), c_ll(M * N), ptr(bias), c_f32(0.5), c_f32(0.25))
            report('gemm_%s_%s' % (name, layout), rel(c, ref), tol)

    # convolution: direct and implicit GEMM, groups, stride, padding, dilation
    N_, C_, H_, W_, O_, groups = 2, 6, 13, 11, 8, 2
    x, w, b = randn(N_, C_, H_, W_), randn(O_, C_ // groups, 3, 3), randn(O_)
    ref = F.conv2d(x.double(), w.double(), b.double(), stride=2, padding=1, dilation=1, groups=groups)
    OH, OW = ref.shape[2], ref.shape[3]
    geometry = [c_int(v) for v in (N_, C_, H_, W_, O_, OH, OW, 3, 3, 2, 2, 1, 1, 1, 1, groups)]
    out = torch.empty(ref.shape, device=dev)
    k.launch('weft_conv2d_naive_f32', e_grid(out.numel()), (256,), *geometry, ptr(x), ptr(w), ptr(b), ptr(out))
    report('conv2d_naive_f32', rel(out, ref), 1e-5)
    for name, tol in (('tf32', 5e-3), ('tf32x3', 1e-5)):
        out.zero_()
        k.launch('weft_conv2d_implicit_%s' % name, ((N_ * OH * OW + 127) // 128, (O_ // groups + 127) // 128, groups),
                 (256,), *geometry, ptr(x), ptr(w), ptr(b), ptr(out))
        report('conv2d_implicit_%s' % name, rel(out, ref), tol)
    xr, wr = x.double().requires_grad_(), w.double().requires_grad_()
    gy = randn(ref.shape)
    gx_ref, gw_ref = torch.autograd.grad(F.conv2d(xr, wr, None, 2, 1, 1, groups), (xr, wr), gy.double())
    gx, gw = torch.empty(x.shape, device=dev), torch.empty(w.shape, device=dev)
    k.launch('weft_conv2d_backward_input_f32', e_grid(x.numel()), (256,), *geometry, ptr(gy), ptr(w), ptr(gx))
    k.launch('weft_conv2d_backward_weight_f32', (min(w.numel(), 65535),), (256,), *geometry, ptr(gy), ptr(x),
             ptr(gw))
    report('conv2d_backward_input_f32', rel(gx, gx_ref), 1e-5)
    report('conv2d_backward_weight_f32', rel(gw, gw_ref), 1e-5)
    Kg = C_ // groups * 9
    for name, tol in (('tf32', 5e-3), ('tf32x3', 1e-5)):
        splits = 3
        partial = torch.empty(splits, O_, Kg, device=dev)
        k.launch('weft_conv2d_backward_weight_implicit_%s' % name, ((Kg + 127) // 128, (O_ // groups + 127) // 128,
                 groups * splits), (256,), *geometry, c_int(splits), ptr(gy), ptr(x), ptr(partial))
        report('conv2d_backward_weight_implicit_%s' % name, rel(partial.sum(0).view(w.shape), gw_ref), tol)

    # max pooling with indices, forward and backward
    x = randn(2, 3, 9, 10).requires_grad_()
    ref, ref_idx = F.max_pool2d(x, 3, 2, 1, return_indices=True)
    gy = randn(ref.shape)
    (gx_ref,) = torch.autograd.grad(ref, x, gy)
    OH, OW = ref.shape[2], ref.shape[3]
    geometry = [c_ll(6)] + [c_int(v) for v in (9, 10, OH, OW, 3, 3, 2, 2, 1, 1, 1, 1)]
    out, idx, gx = torch.empty(ref.shape, device=dev), torch.empty(ref.shape, device=dev, dtype=torch.int64), \
        torch.empty(x.shape, device=dev)
    k.launch('weft_max_pool2d_forward_f32', e_grid(out.numel()), (256,), *geometry, ptr(x), ptr(out), ptr(idx))
    k.launch('weft_max_pool2d_backward_f32', e_grid(x.numel()), (256,), *geometry, ptr(gy), ptr(idx), ptr(gx))
    report('max_pool2d forward (values, indices)', rel(out, ref.detach()) + rel(idx.double(), ref_idx.double()), 0)
    report('max_pool2d backward', rel(gx, gx_ref), 1e-6)

    # window attention against the composition
    BW, n, H, hd, mw = 8, 49, 3, 32, 4
    qkv = randn(BW, n, 3, H, hd).requires_grad_()
    bias = (0.1 * randn(H, n, n)).requires_grad_()
    mask = torch.where(randn(mw, n, n) > 1.0, -100.0, 0.0)
    scale = hd ** -0.5
    q, kk, v = qkv.permute(2, 0, 3, 1, 4)
    s = (q * scale) @ kk.transpose(-2, -1) + bias
    s = (s.view(BW // mw, mw, H, n, n) + mask.view(1, mw, 1, n, n)).view(BW, H, n, n)
    ref = (s.softmax(-1) @ v).transpose(1, 2).contiguous()
    gy = randn(BW, n, H, hd)
    gq_ref, gb_ref = torch.autograd.grad(ref, (qkv, bias), gy)
    out, lse = torch.empty(BW, n, H, hd, device=dev), torch.empty(BW, H, n, device=dev)
    geometry = (c_ll(BW), c_int(n), c_int(H), c_int(hd), c_int(mw), c_f32(scale))
    k.launch('weft_window_attention_forward_f32', (BW * H,), (128,), *geometry, ptr(qkv), ptr(bias), ptr(mask),
             ptr(out), ptr(lse))
    gq, gbw = torch.empty_like(qkv), torch.empty(BW, H, n, n, device=dev)
    k.launch('weft_window_attention_backward_f32', (BW * H,), (128,), *geometry, ptr(qkv), ptr(bias), ptr(mask),
             ptr(lse), ptr(gy), ptr(gq), ptr(gbw))
    report('window_attention forward', rel(out, ref.detach()), 1e-5)
    report('window_attention backward qkv', rel(gq, gq_ref), 1e-5)
    report('window_attention backward bias', rel(gbw.sum(0), gb_ref), 1e-5)

    # KL distillation against the composition
    N, C, T = 9, 21, 3.0
    si, te = randn(N, C).requires_grad_(), randn(N, C).requires_grad_()
    ref = (T * T) * F.kl_div(F.log_softmax(si / T, 1), F.log_softmax(te / T, 1), reduction='none',
                             log_target=True).sum(1)
    gl = randn(N)
    gs_ref, gt_ref = torch.autograd.grad(ref, (si, te), gl)
    loss, gs, gt = torch.empty(N, device=dev), torch.empty(N, C, device=dev), torch.empty(N, C, device=dev)
    k.launch('weft_kl_distillation_forward_f32', (N,), (256,), c_ll(N), c_ll(C), c_ll(1), ptr(si), ptr(te),
             c_f64(T), ptr(loss))
    k.launch('weft_kl_distillation_backward_f32', (N,), (256,), c_ll(N), c_ll(C), c_ll(1), ptr(si), ptr(te),
             c_f64(T), ptr(gl), c_ll(1), ptr(gs), ptr(gt))
    report('kl_distillation forward', rel(loss, ref.detach()), 1e-5)
    report('kl_distillation backward', max(rel(gs, gs_ref), rel(gt, gt_ref)), 1e-5)

    # multi-kernel MMD (biased), value and coefficient matrix against the composition
    n_, m_, d = 20, 27, 33
    z = randn(n_ + m_, d).requires_grad_()
    beta = torch.tensor([float(d)], device=dev)
    mults = [0.25, 0.5, 1.0, 2.0, 4.0]
    zd = z.double()
    dist = ((zd[:, None, :] - zd[None, :, :]) ** 2).sum(-1)  # cdist's gradient is undefined at 0
    kern = sum(torch.exp(-dist / (beta.double() * mm)) for mm in mults)
    wgt = torch.full((n_ + m_, n_ + m_), -1.0 / (n_ * m_), device=dev, dtype=torch.float64)
    wgt[:n_, :n_], wgt[n_:, n_:] = 1.0 / n_ ** 2, 1.0 / m_ ** 2
    ref = (wgt * kern).sum()
    (gz_ref,) = torch.autograd.grad(ref, z)
    kernels = WeftMmdKernels()
    kernels.count = len(mults)
    for i, mm in enumerate(mults):
        kernels.multipliers[i] = mm
    tiles = (n_ + m_ + 15) // 16
    partials, coef = torch.empty(tiles * tiles, device=dev), torch.empty(n_ + m_, n_ + m_, device=dev)
    k.launch('weft_mmd_pairs_f32', (tiles, tiles), (16, 16), c_ll(n_), c_ll(m_), c_ll(d), ptr(z), ptr(beta), kernels,
             c_int(0), ptr(partials), ptr(coef))
    gz = coef.sum(1, keepdim=True) * z.detach() - coef @ z.detach()
    report('mmd_pairs value', rel(partials.double().sum(), ref.detach()), 1e-5)
    report('mmd_pairs gradient via coef', rel(gz, gz_ref), 1e-5)

    # Philox uniforms against a Python transcription of RandomKernels.java's specification
    def philox(counter, seed):
        x = [counter & 0xFFFFFFFF, counter >> 32 & 0xFFFFFFFF, 0, 0]
        k0, k1 = seed & 0xFFFFFFFF, seed >> 32 & 0xFFFFFFFF
        for rnd in range(10):
            if rnd:
                k0, k1 = (k0 + 0x9E3779B9) & 0xFFFFFFFF, (k1 + 0xBB67AE85) & 0xFFFFFFFF
            p0, p1 = 0xD2511F53 * x[0], 0xCD9E8D57 * x[2]
            x = [(p1 >> 32) ^ x[1] ^ k0, p1 & 0xFFFFFFFF, (p0 >> 32) ^ x[3] ^ k1, p0 & 0xFFFFFFFF]
        return x
    n, seed, offset = 1001, 0x1234567890ABCDEF, 77
    out = torch.empty(n, device=dev)
    k.launch('weft_random_uniform_f32', e_grid((n + 3) // 4), (256,), c_ll(n), ctypes.c_ulonglong(seed),
             ctypes.c_ulonglong(offset), c_f64(-1.0), c_f64(3.0), ptr(out))
    want = [(-1.0 + 4.0 * ((philox(offset + i // 4, seed)[i % 4] >> 8) * 2.0 ** -24)) for i in range(n)]
    report('random_uniform_f32 bit-exact', rel(out, torch.tensor(want, device=dev).float()), 0)

    # AdamW, one step, against torch.optim.AdamW
    p = randn(1000)
    gr = randn(1000)
    tp = p.clone().requires_grad_()
    tp.grad = gr.clone()
    opt = torch.optim.AdamW([tp], lr=1e-2, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.05, foreach=False)
    opt.step()
    m, vv = torch.zeros(1000, device=dev), torch.zeros(1000, device=dev)
    k.launch('weft_optim_adamw_f32', e_grid(1000), (256,), c_ll(1000), ptr(p), ptr(gr), ptr(m), ptr(vv),
             ptr(None), c_f32(1e-2), c_f32(0.9), c_f32(0.999), c_f32(1e-8), c_f32(0.05), c_f32(1 - 0.9),
             c_f32((1 - 0.999) ** 0.5), c_int(0))
    report('optim_adamw_f32 one step', rel(p, tp.detach()), 1e-6)

    print('%d failed' % len(failures) if failures else 'all passed')
    return 1 if failures else 0


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
