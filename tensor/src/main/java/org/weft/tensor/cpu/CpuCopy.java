package org.weft.tensor.cpu;

import org.weft.tensor.DType;
import org.weft.tensor.NDArray;
import org.weft.tensor.backend.CopyKernels;

/** Strided copies with dtype conversion, and fills. */
final class CpuCopy implements CopyKernels {

    private static final int GRAIN = 1 << 15;

    @Override
    public void copy(NDArray src, NDArray dst) {
        CpuStorage s = (CpuStorage) src.storage();
        CpuStorage d = (CpuStorage) dst.storage();
        StridedLoop loop = StridedLoop.of(dst.dims(), dst.strides(), src.strides());
        int ds = loop.innerStride(0);
        int ss = loop.innerStride(1);
        int[] base = {dst.offset(), src.offset()};
        if (src.dtype() == dst.dtype()) {
            Object from = s.array();
            Object to = d.array();
            loop.runParallel(base, GRAIN, (off, n) -> copyRow(from, off[1], ss, to, off[0], ds, n));
        } else if (src.dtype() == DType.F32 && dst.dtype() == DType.F64) {
            float[] from = s.floats();
            double[] to = d.doubles();
            loop.runParallel(base, GRAIN, (off, n) -> {
                for (int i = 0; i < n; i++) {
                    to[off[0] + i * ds] = from[off[1] + i * ss];
                }
            });
        } else if (src.dtype() == DType.F64 && dst.dtype() == DType.F32) {
            double[] from = s.doubles();
            float[] to = d.floats();
            loop.runParallel(base, GRAIN, (off, n) -> {
                for (int i = 0; i < n; i++) {
                    to[off[0] + i * ds] = (float) from[off[1] + i * ss];
                }
            });
        } else if (!src.dtype().isFloatingPoint()) {
            // From integers through long: exact, wrapping like a C cast into a narrower integer,
            // and one rounding into a float (a detour through double could round twice).
            loop.runParallel(base, GRAIN, (off, n) -> {
                for (int i = 0; i < n; i++) {
                    d.setLong(off[0] + i * ds, s.getLong(off[1] + i * ss));
                }
            });
        } else {
            loop.runParallel(base, GRAIN, (off, n) -> {
                for (int i = 0; i < n; i++) {
                    d.setDouble(off[0] + i * ds, s.getDouble(off[1] + i * ss));
                }
            });
        }
    }

    /** Copies one row between two arrays of the same primitive type (CpuIndex moves runs with it too). */
    static void copyRow(Object from, int fo, int fs, Object to, int to0, int ts, int n) {
        if (fs == 1 && ts == 1) {
            System.arraycopy(from, fo, to, to0, n);
            return;
        }
        if (from instanceof float[] f) {
            float[] t = (float[]) to;
            for (int i = 0; i < n; i++) {
                t[to0 + i * ts] = f[fo + i * fs];
            }
        } else if (from instanceof double[] f) {
            double[] t = (double[]) to;
            for (int i = 0; i < n; i++) {
                t[to0 + i * ts] = f[fo + i * fs];
            }
        } else if (from instanceof long[] f) {
            long[] t = (long[]) to;
            for (int i = 0; i < n; i++) {
                t[to0 + i * ts] = f[fo + i * fs];
            }
        } else if (from instanceof int[] f) {
            int[] t = (int[]) to;
            for (int i = 0; i < n; i++) {
                t[to0 + i * ts] = f[fo + i * fs];
            }
        } else if (from instanceof short[] f) {
            short[] t = (short[]) to;
            for (int i = 0; i < n; i++) {
                t[to0 + i * ts] = f[fo + i * fs];
            }
        } else {
            byte[] f = (byte[]) from;
            byte[] t = (byte[]) to;
            for (int i = 0; i < n; i++) {
                t[to0 + i * ts] = f[fo + i * fs];
            }
        }
    }

    @Override
    public void fill(NDArray dst, double value) {
        CpuStorage d = (CpuStorage) dst.storage();
        StridedLoop loop = StridedLoop.of(dst.dims(), dst.strides());
        int ds = loop.innerStride(0);
        switch (dst.dtype()) {
            case F32 -> {
                float[] a = d.floats();
                float v = (float) value;
                loop.runParallel(new int[] {dst.offset()}, GRAIN, (off, n) -> {
                    for (int i = 0; i < n; i++) {
                        a[off[0] + i * ds] = v;
                    }
                });
            }
            case F64 -> {
                double[] a = d.doubles();
                loop.runParallel(new int[] {dst.offset()}, GRAIN, (off, n) -> {
                    for (int i = 0; i < n; i++) {
                        a[off[0] + i * ds] = value;
                    }
                });
            }
            default -> loop.run(new int[] {dst.offset()}, (off, n) -> {
                for (int i = 0; i < n; i++) {
                    d.setDouble(off[0] + i * ds, value);
                }
            });
        }
    }
}
