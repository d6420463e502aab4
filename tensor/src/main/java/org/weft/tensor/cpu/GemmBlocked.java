package org.weft.tensor.cpu;

import static org.weft.tensor.cpu.GemmMicroKernel.MR;
import static org.weft.tensor.cpu.GemmMicroKernel.NR_F32;
import static org.weft.tensor.cpu.GemmMicroKernel.NR_F64;

/**
 * The GotoBLAS/BLIS loop nest around the micro-kernel, run by one thread on its share of C.
 *
 * <p>From the outside in: columns of C in blocks of NC (jc), the shared dimension in blocks of
 * KC (pc), rows of C in blocks of MC (ic), then NR-column (jr) and MR-row (ir) micro-tiles. The
 * block sizes decide which cache each packed piece lives in while it is being reused:
 *
 * <ul>
 *   <li>one packed B micro-panel ({@code KC x NR}) stays in L1 while the jr/ir loops sweep every
 *       A micro-panel of the block past it;</li>
 *   <li>the packed A block ({@code MC x KC}) stays in L2 while all NC/NR B micro-panels use it;</li>
 *   <li>the packed B block ({@code KC x NC}) stays in L3 while all MC blocks of A use it.</li>
 * </ul>
 *
 * The numbers are for a Zen 3 core (32 KiB L1d, 512 KiB L2 per core, 32 MiB shared L3) and were
 * tuned by measurement around the values those sizes suggest.
 */
final class GemmBlocked {

    // F32: a B micro-panel is KC * NR * 4 bytes = 16 KiB, half of L1d, leaving room for the A
    // micro-panel streaming past it. An A block is MC * KC * 4 bytes = 120 KiB, a quarter of L2:
    // the rest holds the B micro-panels arriving from L3 and the C tiles being updated, and
    // measured faster than an A block filling half of L2 (MC = 240). A B block is 2 MiB.
    static final int KC_F32 = 256;
    static final int MC_F32 = 120;
    static final int NC_F32 = 2048;

    // Large C (at least LARGE_C_F32 rows and columns): every pass over k reads and writes all
    // of C, megabytes that stay in no cache between passes, so fewer, deeper passes pay: KC
    // doubles (the B micro-panel then fills L1d) and MC halves to keep the A block at 120 KiB.
    // Measured 2-6% faster at 1024 and 2048 cubed (one thread, CPU time); on the thinner
    // products of convolutions (64 to 256 rows) it was as fast or slower, so they keep 256.
    static final int LARGE_C_F32 = 512;
    static final int KC_LARGE_C_F32 = 512;
    static final int MC_LARGE_C_F32 = 60;

    // F64: the same footprints in bytes; NR, MC and NC hold half as many (twice as wide) elements.
    static final int KC_F64 = 256;
    static final int MC_F64 = 60;
    static final int NC_F64 = 1024;

    /** Per-thread packing buffers, grown on demand and reused by every later call on that thread. */
    private static final class Workspace {
        private float[] packedA32 = new float[0];
        private float[] packedB32 = new float[0];
        final float[] tile32 = new float[MR * NR_F32];

        float[] packedA32(int length) {
            if (packedA32.length < length) {
                packedA32 = new float[length];
            }
            return packedA32;
        }

        float[] packedB32(int length) {
            if (packedB32.length < length) {
                packedB32 = new float[length];
            }
            return packedB32;
        }

        double[] packedA64 = new double[0];
        double[] packedB64 = new double[0];
        final double[] tile64 = new double[MR * NR_F64];
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private GemmBlocked() {
    }

    /**
     * The full {@link Gemm#sgemm} contract on one thread, for m, n, k ≥ 1 and alpha ≠ 0 (the
     * caller handles the degenerate cases).
     */
    static void sgemm(int m, int n, int k, float alpha,
                      float[] a, int aOff, int aRs, int aCs,
                      float[] b, int bOff, int bRs, int bCs,
                      float beta, float[] c, int cOff, int ldc) {
        // Split k and m into equal blocks rather than full blocks plus a thin remainder: k = 300
        // runs as 150 + 150, not 256 + 44, so every micro-kernel call has a long k loop.
        boolean largeC = m >= LARGE_C_F32 && n >= LARGE_C_F32;
        int kc = evenBlock(k, largeC ? KC_LARGE_C_F32 : KC_F32, 1);
        int mc = evenBlock(m, largeC ? MC_LARGE_C_F32 : MC_F32, MR);
        int nc = Math.min(NC_F32, roundUp(n, NR_F32));

        Workspace ws = WORKSPACE.get();
        float[] packedA = ws.packedA32(mc * kc);
        float[] packedB = ws.packedB32(kc * nc);

        for (int jc = 0; jc < n; jc += nc) {
            int ncHere = Math.min(nc, n - jc);
            for (int pc = 0; pc < k; pc += kc) {
                int kcHere = Math.min(kc, k - pc);
                GemmPacking.packB(b, bOff + pc * bRs + jc * bCs, bRs, bCs, kcHere, ncHere, packedB);
                // beta applies once, on the first pass over k; later passes accumulate.
                float betaHere = pc == 0 ? beta : 1f;
                for (int ic = 0; ic < m; ic += mc) {
                    int mcHere = Math.min(mc, m - ic);
                    GemmPacking.packA(a, aOff + ic * aRs + pc * aCs, aRs, aCs, mcHere, kcHere, packedA);
                    sgemmMacro(mcHere, ncHere, kcHere, alpha, betaHere, packedA, packedB, ws.tile32,
                            c, cOff + ic * ldc + jc, ldc);
                }
            }
        }
    }

    /**
     * {@link #sgemm} with the rows of C split across the {@link CpuThreads}, for problems with
     * more rows than columns (the caller decides).
     *
     * <p>Giving each thread its own rows and letting it run {@link #sgemm} would have every thread
     * pack all of B, the larger operand here: on two threads, a 2048-cube GEMM spent a tenth of
     * its time packing B twice. So the threads first pack each block of B together, each its own
     * micro-panels into one shared buffer, then each multiplies its own row blocks of A by it.
     */
    static void sgemmRowsInParallel(int m, int n, int k, float alpha,
                                    float[] a, int aOff, int aRs, int aCs,
                                    float[] b, int bOff, int bRs, int bCs,
                                    float beta, float[] c, int cOff, int ldc) {
        boolean largeC = m >= LARGE_C_F32 && n >= LARGE_C_F32;
        int kc = evenBlock(k, largeC ? KC_LARGE_C_F32 : KC_F32, 1);
        int mcMax = largeC ? MC_LARGE_C_F32 : MC_F32;
        // A whole number of row blocks per thread, so no thread idles through the last one.
        int threads = CpuThreads.count();
        int blocks = roundUp((m + mcMax - 1) / mcMax, threads);
        int mc = roundUp((m + blocks - 1) / blocks, MR);
        int rowBlocks = (m + mc - 1) / mc;
        int nc = Math.min(NC_F32, roundUp(n, NR_F32));
        float[] packedB = WORKSPACE.get().packedB32(kc * nc);

        for (int jc = 0; jc < n; jc += nc) {
            int ncHere = Math.min(nc, n - jc);
            int panels = (ncHere + NR_F32 - 1) / NR_F32;
            for (int pc = 0; pc < k; pc += kc) {
                int kcHere = Math.min(kc, k - pc);
                int bBlock = bOff + pc * bRs + jc * bCs;
                CpuThreads.parallelFor(panels, 1, (from, to) -> {
                    int j0 = from * NR_F32;
                    int j1 = Math.min(ncHere, to * NR_F32);
                    GemmPacking.packB(b, bBlock + j0 * bCs, bRs, bCs, kcHere, j1 - j0, packedB, j0 * kcHere);
                });
                float betaHere = pc == 0 ? beta : 1f;
                int aBlock = aOff + pc * aCs;
                int cBlock = cOff + jc;
                CpuThreads.parallelFor(rowBlocks, 1, (from, to) -> {
                    Workspace ws = WORKSPACE.get();
                    float[] packedA = ws.packedA32(mc * kcHere);
                    for (int block = from; block < to; block++) {
                        int ic = block * mc;
                        int mcHere = Math.min(mc, m - ic);
                        GemmPacking.packA(a, aBlock + ic * aRs, aRs, aCs, mcHere, kcHere, packedA);
                        sgemmMacro(mcHere, ncHere, kcHere, alpha, betaHere, packedA, packedB, ws.tile32,
                                c, cBlock + ic * ldc, ldc);
                    }
                });
            }
        }
    }

    /**
     * One packed A block times one packed B block into C: the jr and ir loops over the
     * micro-tiles. A full tile with alpha 1 and beta 0 or 1, which is every tile of the engine's
     * own products but those at the edges, is stored or added straight into C; the others go
     * through the scratch {@code tile}, which also clips them. Going straight saves 24 memory
     * operations a tile and measured 10% faster at 2048 (one thread, CPU time, best of runs).
     */
    private static void sgemmMacro(int mc, int nc, int kc, float alpha, float beta,
                                   float[] packedA, float[] packedB, float[] tile,
                                   float[] c, int cBlock, int ldc) {
        for (int jr = 0; jr < nc; jr += NR_F32) {
            int cols = Math.min(NR_F32, nc - jr);
            for (int ir = 0; ir < mc; ir += MR) {
                int rows = Math.min(MR, mc - ir);
                int cAt = cBlock + ir * ldc + jr;
                if (rows == MR && cols == NR_F32 && alpha == 1f && (beta == 0f || beta == 1f)) {
                    if (beta == 0f) {
                        GemmMicroKernel.sgemmTileStore(kc, packedA, ir * kc, packedB, jr * kc, c, cAt, ldc);
                    } else {
                        GemmMicroKernel.sgemmTileAdd(kc, packedA, ir * kc, packedB, jr * kc, c, cAt, ldc);
                    }
                } else {
                    GemmMicroKernel.sgemmTile(kc, packedA, ir * kc, packedB, jr * kc, tile);
                    GemmMicroKernel.sgemmWriteBack(tile, alpha, beta, c, cAt, ldc, rows, cols);
                }
            }
        }
    }

    /** The F64 twin of {@link #sgemm}. */
    static void dgemm(int m, int n, int k, double alpha,
                      double[] a, int aOff, int aRs, int aCs,
                      double[] b, int bOff, int bRs, int bCs,
                      double beta, double[] c, int cOff, int ldc) {
        int kc = evenBlock(k, KC_F64, 1);
        int mc = evenBlock(m, MC_F64, MR);
        int nc = Math.min(NC_F64, roundUp(n, NR_F64));

        Workspace ws = WORKSPACE.get();
        if (ws.packedA64.length < mc * kc) {
            ws.packedA64 = new double[mc * kc];
        }
        if (ws.packedB64.length < kc * nc) {
            ws.packedB64 = new double[kc * nc];
        }
        double[] packedA = ws.packedA64;
        double[] packedB = ws.packedB64;
        double[] tile = ws.tile64;

        for (int jc = 0; jc < n; jc += nc) {
            int ncHere = Math.min(nc, n - jc);
            for (int pc = 0; pc < k; pc += kc) {
                int kcHere = Math.min(kc, k - pc);
                GemmPacking.packB(b, bOff + pc * bRs + jc * bCs, bRs, bCs, kcHere, ncHere, packedB);
                double betaHere = pc == 0 ? beta : 1d;
                for (int ic = 0; ic < m; ic += mc) {
                    int mcHere = Math.min(mc, m - ic);
                    GemmPacking.packA(a, aOff + ic * aRs + pc * aCs, aRs, aCs, mcHere, kcHere, packedA);
                    int cBlock = cOff + ic * ldc + jc;
                    for (int jr = 0; jr < ncHere; jr += NR_F64) {
                        int cols = Math.min(NR_F64, ncHere - jr);
                        for (int ir = 0; ir < mcHere; ir += MR) {
                            int rows = Math.min(MR, mcHere - ir);
                            GemmMicroKernel.dgemmTile(kcHere, packedA, ir * kcHere, packedB, jr * kcHere, tile);
                            GemmMicroKernel.dgemmWriteBack(tile, alpha, betaHere,
                                    c, cBlock + ir * ldc + jr, ldc, rows, cols);
                        }
                    }
                }
            }
        }
    }

    /**
     * The block length that splits {@code total} into the fewest blocks of at most {@code max},
     * all of (nearly) equal length, rounded up to a multiple of {@code unit}.
     */
    static int evenBlock(int total, int max, int unit) {
        int blocks = (total + max - 1) / max;
        int length = (total + blocks - 1) / blocks;
        return Math.min(max, roundUp(length, unit));
    }

    static int roundUp(int value, int unit) {
        return (value + unit - 1) / unit * unit;
    }
}
