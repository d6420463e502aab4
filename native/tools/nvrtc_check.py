#!/usr/bin/env python3
"""Compiles every kernel file under native/src with NVRTC, one program per file, as the CUDA
backend does when the jar carries no fat binary; prints one line per file and exits 1 on any
failure. Needs libnvrtc.so (the GPU machine has it in PyTorch's nvidia-cuda-nvrtc wheel; pass
its path with --lib if the loader cannot find it). Not yet run: no machine with NVRTC has
been available to this module's author.

  nvrtc_check.py [--lib /path/libnvrtc.so.13] [--arch sm_90]
"""
import argparse
import ctypes
import glob
import os
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--lib', default='libnvrtc.so.13')
    ap.add_argument('--arch', default='sm_90')
    args = ap.parse_args()
    nvrtc = ctypes.CDLL(args.lib)
    nvrtc.nvrtcGetErrorString.restype = ctypes.c_char_p

    src_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src')
    header_names = ['weft.cuh', 'weft_mma.cuh']
    header_texts = [open(os.path.join(src_dir, h), 'rb').read() for h in header_names]
    failures = 0
    for path in sorted(glob.glob(os.path.join(src_dir, '*.cu'))):
        prog = ctypes.c_void_p()
        headers = (ctypes.c_char_p * len(header_texts))(*header_texts)
        names = (ctypes.c_char_p * len(header_names))(*[h.encode() for h in header_names])
        rc = nvrtc.nvrtcCreateProgram(ctypes.byref(prog), open(path, 'rb').read(),
                                      os.path.basename(path).encode(), len(header_names), headers, names)
        if rc:
            sys.exit('nvrtcCreateProgram: ' + nvrtc.nvrtcGetErrorString(rc).decode())
        opts = [b'--std=c++17', ('-arch=' + args.arch).encode()]
        copts = (ctypes.c_char_p * len(opts))(*opts)
        rc = nvrtc.nvrtcCompileProgram(prog, len(opts), copts)
        size = ctypes.c_size_t()
        nvrtc.nvrtcGetProgramLogSize(prog, ctypes.byref(size))
        log = ctypes.create_string_buffer(size.value)
        nvrtc.nvrtcGetProgramLog(prog, log)
        cubin = ctypes.c_size_t()
        if rc == 0:
            nvrtc.nvrtcGetCUBINSize(prog, ctypes.byref(cubin))
        print('%-8s %-20s %s' % ('ok' if rc == 0 else 'FAILED', os.path.basename(path),
                                 ('cubin %d bytes' % cubin.value) if rc == 0 else ''))
        text = log.value.decode(errors='replace').strip()
        if text:
            print(text)
        failures += rc != 0
        nvrtc.nvrtcDestroyProgram(ctypes.byref(prog))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
