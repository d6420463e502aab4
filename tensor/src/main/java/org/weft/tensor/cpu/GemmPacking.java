package org.weft.tensor.cpu;

import static org.weft.tensor.cpu.GemmMicroKernel.F32;
import static org.weft.tensor.cpu.GemmMicroKernel.F64;
import static org.weft.tensor.cpu.GemmMicroKernel.MR;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

/**
 * Copies blocks of A and B into the contiguous panel layouts the micro-kernel streams through.
 *
 * <p>Packing is where the operands' strides end: the caller's A and B may be row-major,
 * transposed or any other strided view, and after packing the kernel sees one layout only.
 *
 * <ul>
 *   <li>A block ({@code mc x kc}) becomes {@code ceil(mc / MR)} panels of MR rows; inside a panel
 *       the MR values of one k index are adjacent, k after k. Panel {@code r} starts at
 *       {@code r * MR * kc}.</li>
 *   <li>B block ({@code kc x nc}) becomes {@code ceil(nc / NR)} panels of NR columns; inside a
 *       panel the NR values of one k index are adjacent. Panel {@code s} starts at
 *       {@code s * NR * kc}.</li>
 * </ul>
 *
 * Rows and columns past the edge of the matrix are packed as zeros, so the micro-kernel always
 * computes a full tile and only its write-back has to know the tile is partial. (The padded
 * lanes of a tile are thrown away, so any value would be correct; zeros rather than stale
 * buffer contents keep denormals and NaNs, which can slow the arithmetic, out of them.)
 */
final class GemmPacking {

    private GemmPacking() {
    }

    /** Packs A(i, p) for i < mc, p < kc into {@code dst}, where A(i,p) = a[aOff + i*aRs + p*aCs]. */
    static void packA(float[] a, int aOff, int aRs, int aCs, int mc, int kc, float[] dst) {
        for (int ir = 0; ir < mc; ir += MR) {
            int rows = Math.min(MR, mc - ir);
            int src = aOff + ir * aRs;
            int d = ir * kc;
            if (rows == MR) {
                // Six source streams (one per row) merge into one sequential write stream.
                for (int p = 0; p < kc; p++, src += aCs, d += MR) {
                    dst[d] = a[src];
                    dst[d + 1] = a[src + aRs];
                    dst[d + 2] = a[src + 2 * aRs];
                    dst[d + 3] = a[src + 3 * aRs];
                    dst[d + 4] = a[src + 4 * aRs];
                    dst[d + 5] = a[src + 5 * aRs];
                }
            } else {
                for (int p = 0; p < kc; p++, src += aCs, d += MR) {
                    for (int r = 0; r < MR; r++) {
                        dst[d + r] = r < rows ? a[src + r * aRs] : 0f;
                    }
                }
            }
        }
    }

    /** Packs B(p, j) for p < kc, j < nc into {@code dst}, where B(p,j) = b[bOff + p*bRs + j*bCs]. */
    static void packB(float[] b, int bOff, int bRs, int bCs, int kc, int nc, float[] dst) {
        packB(b, bOff, bRs, bCs, kc, nc, dst, 0);
    }

    /**
     * Packs B(p, j) for p < kc, j < nc into {@code dst} from {@code dstAt} on: how threads each
     * pack their own run of micro-panels into one shared packed block.
     */
    static void packB(float[] b, int bOff, int bRs, int bCs, int kc, int nc, float[] dst, int dstAt) {
        final int lanes = F32.length();
        final int nr = 2 * lanes;
        for (int jr = 0; jr < nc; jr += nr) {
            int cols = Math.min(nr, nc - jr);
            int src = bOff + jr * bCs;
            int d = dstAt + jr * kc;
            if (cols == nr && bCs == 1) {
                // Row-major B: each k index is NR contiguous floats, copied as two vectors.
                for (int p = 0; p < kc; p++, src += bRs, d += nr) {
                    FloatVector.fromArray(F32, b, src).intoArray(dst, d);
                    FloatVector.fromArray(F32, b, src + lanes).intoArray(dst, d + lanes);
                }
            } else if (bRs == 1) {
                // Transposed B (a weight read as W^T, k^T in attention): each column is a
                // contiguous run of the source, so walk the columns and read each run straight
                // through, writing every NR-th element of the panel.
                for (int j = 0; j < cols; j++) {
                    int s = src + j * bCs;
                    for (int p = 0, at = d + j; p < kc; p++, at += nr) {
                        dst[at] = b[s + p];
                    }
                }
                for (int j = cols; j < nr; j++) {
                    for (int p = 0, at = d + j; p < kc; p++, at += nr) {
                        dst[at] = 0f;
                    }
                }
            } else if (cols == nr) {
                for (int p = 0; p < kc; p++, src += bRs, d += nr) {
                    for (int j = 0, s = src; j < nr; j++, s += bCs) {
                        dst[d + j] = b[s];
                    }
                }
            } else {
                for (int p = 0; p < kc; p++, src += bRs, d += nr) {
                    for (int j = 0; j < nr; j++) {
                        dst[d + j] = j < cols ? b[src + j * bCs] : 0f;
                    }
                }
            }
        }
    }

    /** The F64 twin of {@link #packA(float[], int, int, int, int, int, float[])}. */
    static void packA(double[] a, int aOff, int aRs, int aCs, int mc, int kc, double[] dst) {
        for (int ir = 0; ir < mc; ir += MR) {
            int rows = Math.min(MR, mc - ir);
            int src = aOff + ir * aRs;
            int d = ir * kc;
            if (rows == MR) {
                for (int p = 0; p < kc; p++, src += aCs, d += MR) {
                    dst[d] = a[src];
                    dst[d + 1] = a[src + aRs];
                    dst[d + 2] = a[src + 2 * aRs];
                    dst[d + 3] = a[src + 3 * aRs];
                    dst[d + 4] = a[src + 4 * aRs];
                    dst[d + 5] = a[src + 5 * aRs];
                }
            } else {
                for (int p = 0; p < kc; p++, src += aCs, d += MR) {
                    for (int r = 0; r < MR; r++) {
                        dst[d + r] = r < rows ? a[src + r * aRs] : 0d;
                    }
                }
            }
        }
    }

    /** The F64 twin of {@link #packB(float[], int, int, int, int, int, float[])}. */
    static void packB(double[] b, int bOff, int bRs, int bCs, int kc, int nc, double[] dst) {
        final int lanes = F64.length();
        final int nr = 2 * lanes;
        for (int jr = 0; jr < nc; jr += nr) {
            int cols = Math.min(nr, nc - jr);
            int src = bOff + jr * bCs;
            int d = jr * kc;
            if (cols == nr && bCs == 1) {
                for (int p = 0; p < kc; p++, src += bRs, d += nr) {
                    DoubleVector.fromArray(F64, b, src).intoArray(dst, d);
                    DoubleVector.fromArray(F64, b, src + lanes).intoArray(dst, d + lanes);
                }
            } else if (cols == nr) {
                for (int p = 0; p < kc; p++, src += bRs, d += nr) {
                    for (int j = 0, s = src; j < nr; j++, s += bCs) {
                        dst[d + j] = b[s];
                    }
                }
            } else {
                for (int p = 0; p < kc; p++, src += bRs, d += nr) {
                    for (int j = 0; j < nr; j++) {
                        dst[d + j] = j < cols ? b[src + j * bCs] : 0d;
                    }
                }
            }
        }
    }
}
