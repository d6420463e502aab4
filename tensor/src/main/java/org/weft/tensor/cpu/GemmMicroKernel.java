package org.weft.tensor.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked inner kernels of {@link Gemm}: each computes one {@code MR x NR} tile of C
 * from a packed A micro-panel and a packed B micro-panel.
 *
 * <p>The tile is {@code MR = 6} rows by {@code NR = 2} vectors. On AVX2 (8 floats per vector) that
 * is 6 x 16 floats held in 12 accumulator registers; one step of the k loop loads the two B
 * vectors, broadcasts each of the six A values and issues 12 independent fused multiply-adds.
 * Twelve independent chains are enough to hide the FMA latency (4 cycles) on both FMA ports, and
 * 12 accumulators, 2 B vectors and the broadcasts fit the 16 vector registers without spilling.
 * The same code gives 6 x 32 on a 512-bit machine.
 *
 * <p>Why it looks like this: C2 turns Vector API calls into single instructions only when
 * everything is inlined into one compiled method; a vector that crosses a call C2 did not inline,
 * or that it cannot prove short-lived, becomes a heap object. So the kernel is a static method
 * with the accumulators as plain locals, written out one by one (an array of vectors would be
 * heap objects), with no lambdas, no virtual calls and no allocation. It stores its result
 * straight into C ({@link #sgemmTileStore}, {@link #sgemmTileAdd}), or, for edge tiles and
 * general alpha and beta, hands it over as plain floats in a small scratch tile rather than as
 * vectors. Checked with the JIT's
 * disassembly: the k loop is 2 vector loads, 6 broadcast loads and 12 {@code vfmadd231ps}, no
 * spills and no allocation, and runs at about 85-90% of the FMA peak of a core.
 *
 * <p>Both packed panels are laid out exactly in the order the k loop reads them (see
 * {@link GemmPacking}), so the loop only walks two arrays forward.
 */
final class GemmMicroKernel {

    static final VectorSpecies<Float> F32 = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Double> F64 = DoubleVector.SPECIES_PREFERRED;

    /** Rows of C per micro-tile, both precisions. */
    static final int MR = 6;
    /** Columns of C per micro-tile for F32: two vectors. */
    static final int NR_F32 = 2 * F32.length();
    /** Columns of C per micro-tile for F64: two vectors. */
    static final int NR_F64 = 2 * F64.length();

    private GemmMicroKernel() {
    }

    /**
     * tile = Apanel * Bpanel for one {@code MR x NR_F32} tile: the product of an {@code MR x kc}
     * packed A micro-panel and a {@code kc x NR_F32} packed B micro-panel, written row-major into
     * {@code tile} ({@code MR * NR_F32} floats). {@link #sgemmWriteBack} then merges it into C.
     *
     * @param kc   length of the k loop (depth of both panels)
     * @param ap   packed A; the panel starts at {@code aAt} and holds {@code kc} groups of MR
     * @param bp   packed B; the panel starts at {@code bAt} and holds {@code kc} groups of NR
     */
    static void sgemmTile(int kc, float[] ap, int aAt, float[] bp, int bAt, float[] tile) {
        final int lanes = F32.length();
        FloatVector c00 = FloatVector.zero(F32), c01 = FloatVector.zero(F32);
        FloatVector c10 = FloatVector.zero(F32), c11 = FloatVector.zero(F32);
        FloatVector c20 = FloatVector.zero(F32), c21 = FloatVector.zero(F32);
        FloatVector c30 = FloatVector.zero(F32), c31 = FloatVector.zero(F32);
        FloatVector c40 = FloatVector.zero(F32), c41 = FloatVector.zero(F32);
        FloatVector c50 = FloatVector.zero(F32), c51 = FloatVector.zero(F32);

        for (int p = 0; p < kc; p++) {
            // Indices computed from p (not bumped alongside it) let C2 prove them in range once
            // for the whole loop instead of checking every load.
            int a = aAt + p * MR;
            int b = bAt + p * NR_F32;
            FloatVector b0 = FloatVector.fromArray(F32, bp, b);
            FloatVector b1 = FloatVector.fromArray(F32, bp, b + lanes);
            // One variable per broadcast, all scoped to the loop body: reusing one variable
            // for all six made C2 keep a heap copy of an accumulator alive across iterations.
            FloatVector a0 = FloatVector.broadcast(F32, ap[a]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(F32, ap[a + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(F32, ap[a + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(F32, ap[a + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(F32, ap[a + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(F32, ap[a + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
        }

        // Park the tile in a small scratch and apply alpha, beta and the edge clipping in a
        // separate method: a vector handed to a call C2 does not inline would be boxed on the
        // heap, and this method is too big for C2 to inline much more into it.
        int nr = 2 * lanes;
        c00.intoArray(tile, 0);
        c01.intoArray(tile, lanes);
        c10.intoArray(tile, nr);
        c11.intoArray(tile, nr + lanes);
        c20.intoArray(tile, 2 * nr);
        c21.intoArray(tile, 2 * nr + lanes);
        c30.intoArray(tile, 3 * nr);
        c31.intoArray(tile, 3 * nr + lanes);
        c40.intoArray(tile, 4 * nr);
        c41.intoArray(tile, 4 * nr + lanes);
        c50.intoArray(tile, 5 * nr);
        c51.intoArray(tile, 5 * nr + lanes);
    }

    /**
     * {@code C[MR x NR_F32 at cAt] = product} for a full tile, stored straight into C without
     * the scratch: the first pass over k with alpha 1 and beta 0. {@link #sgemmTileAdd} is the
     * {@code +=} of every later pass. Each is straight-line like {@link #sgemmTile}: one method
     * that chose between store, add and general alpha and beta in branches after the loop ran at
     * a third of the speed, C2 no longer keeping the accumulators in registers.
     */
    static void sgemmTileStore(int kc, float[] ap, int aAt, float[] bp, int bAt, float[] c, int cAt, int ldc) {
        final int lanes = F32.length();
        FloatVector c00 = FloatVector.zero(F32), c01 = FloatVector.zero(F32);
        FloatVector c10 = FloatVector.zero(F32), c11 = FloatVector.zero(F32);
        FloatVector c20 = FloatVector.zero(F32), c21 = FloatVector.zero(F32);
        FloatVector c30 = FloatVector.zero(F32), c31 = FloatVector.zero(F32);
        FloatVector c40 = FloatVector.zero(F32), c41 = FloatVector.zero(F32);
        FloatVector c50 = FloatVector.zero(F32), c51 = FloatVector.zero(F32);

        for (int p = 0; p < kc; p++) {
            // Indices computed from p (not bumped alongside it) let C2 prove them in range once
            // for the whole loop instead of checking every load.
            int a = aAt + p * MR;
            int b = bAt + p * NR_F32;
            FloatVector b0 = FloatVector.fromArray(F32, bp, b);
            FloatVector b1 = FloatVector.fromArray(F32, bp, b + lanes);
            // One variable per broadcast, all scoped to the loop body: reusing one variable
            // for all six made C2 keep a heap copy of an accumulator alive across iterations.
            FloatVector a0 = FloatVector.broadcast(F32, ap[a]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(F32, ap[a + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(F32, ap[a + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(F32, ap[a + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(F32, ap[a + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(F32, ap[a + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
        }

        int r0 = cAt, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc, r4 = r3 + ldc, r5 = r4 + ldc;
        c00.intoArray(c, r0);
        c01.intoArray(c, r0 + lanes);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + lanes);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + lanes);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + lanes);
        c40.intoArray(c, r4);
        c41.intoArray(c, r4 + lanes);
        c50.intoArray(c, r5);
        c51.intoArray(c, r5 + lanes);
    }

    /** {@code C[MR x NR_F32 at cAt] += product}: see {@link #sgemmTileStore}. */
    static void sgemmTileAdd(int kc, float[] ap, int aAt, float[] bp, int bAt, float[] c, int cAt, int ldc) {
        final int lanes = F32.length();
        FloatVector c00 = FloatVector.zero(F32), c01 = FloatVector.zero(F32);
        FloatVector c10 = FloatVector.zero(F32), c11 = FloatVector.zero(F32);
        FloatVector c20 = FloatVector.zero(F32), c21 = FloatVector.zero(F32);
        FloatVector c30 = FloatVector.zero(F32), c31 = FloatVector.zero(F32);
        FloatVector c40 = FloatVector.zero(F32), c41 = FloatVector.zero(F32);
        FloatVector c50 = FloatVector.zero(F32), c51 = FloatVector.zero(F32);

        for (int p = 0; p < kc; p++) {
            // Indices computed from p (not bumped alongside it) let C2 prove them in range once
            // for the whole loop instead of checking every load.
            int a = aAt + p * MR;
            int b = bAt + p * NR_F32;
            FloatVector b0 = FloatVector.fromArray(F32, bp, b);
            FloatVector b1 = FloatVector.fromArray(F32, bp, b + lanes);
            // One variable per broadcast, all scoped to the loop body: reusing one variable
            // for all six made C2 keep a heap copy of an accumulator alive across iterations.
            FloatVector a0 = FloatVector.broadcast(F32, ap[a]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(F32, ap[a + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(F32, ap[a + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(F32, ap[a + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(F32, ap[a + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(F32, ap[a + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
        }

        int r0 = cAt, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc, r4 = r3 + ldc, r5 = r4 + ldc;
        c00.add(FloatVector.fromArray(F32, c, r0)).intoArray(c, r0);
        c01.add(FloatVector.fromArray(F32, c, r0 + lanes)).intoArray(c, r0 + lanes);
        c10.add(FloatVector.fromArray(F32, c, r1)).intoArray(c, r1);
        c11.add(FloatVector.fromArray(F32, c, r1 + lanes)).intoArray(c, r1 + lanes);
        c20.add(FloatVector.fromArray(F32, c, r2)).intoArray(c, r2);
        c21.add(FloatVector.fromArray(F32, c, r2 + lanes)).intoArray(c, r2 + lanes);
        c30.add(FloatVector.fromArray(F32, c, r3)).intoArray(c, r3);
        c31.add(FloatVector.fromArray(F32, c, r3 + lanes)).intoArray(c, r3 + lanes);
        c40.add(FloatVector.fromArray(F32, c, r4)).intoArray(c, r4);
        c41.add(FloatVector.fromArray(F32, c, r4 + lanes)).intoArray(c, r4 + lanes);
        c50.add(FloatVector.fromArray(F32, c, r5)).intoArray(c, r5);
        c51.add(FloatVector.fromArray(F32, c, r5 + lanes)).intoArray(c, r5 + lanes);
    }

    /**
     * C[rows x cols at cAt] = alpha * tile + beta * C, reading C only when beta != 0. The tile is
     * a full {@code MR x NR} block, row-major; only its top-left {@code rows x cols} is used.
     */
    static void sgemmWriteBack(float[] tile, float alpha, float beta,
                               float[] c, int cAt, int ldc, int rows, int cols) {
        final int lanes = F32.length();
        final int nr = 2 * lanes;
        if (cols == nr) {
            FloatVector va = FloatVector.broadcast(F32, alpha);
            FloatVector vb = FloatVector.broadcast(F32, beta);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < nr; j += lanes) {
                    int at = cAt + i * ldc + j;
                    FloatVector product = FloatVector.fromArray(F32, tile, i * nr + j).mul(va);
                    if (beta != 0f) {
                        product = FloatVector.fromArray(F32, c, at).fma(vb, product);
                    }
                    product.intoArray(c, at);
                }
            }
            return;
        }
        for (int i = 0; i < rows; i++) {
            int row = cAt + i * ldc;
            for (int j = 0; j < cols; j++) {
                float product = alpha * tile[i * nr + j];
                c[row + j] = beta == 0f ? product : product + beta * c[row + j];
            }
        }
    }

    /** The F64 twin of {@link #sgemmTile}: an {@code MR x NR_F64} tile, same layout. */
    static void dgemmTile(int kc, double[] ap, int aAt, double[] bp, int bAt, double[] tile) {
        final int lanes = F64.length();
        DoubleVector c00 = DoubleVector.zero(F64), c01 = DoubleVector.zero(F64);
        DoubleVector c10 = DoubleVector.zero(F64), c11 = DoubleVector.zero(F64);
        DoubleVector c20 = DoubleVector.zero(F64), c21 = DoubleVector.zero(F64);
        DoubleVector c30 = DoubleVector.zero(F64), c31 = DoubleVector.zero(F64);
        DoubleVector c40 = DoubleVector.zero(F64), c41 = DoubleVector.zero(F64);
        DoubleVector c50 = DoubleVector.zero(F64), c51 = DoubleVector.zero(F64);

        for (int p = 0; p < kc; p++) {
            // Indices computed from p (not bumped alongside it) let C2 prove them in range once
            // for the whole loop instead of checking every load.
            int a = aAt + p * MR;
            int b = bAt + p * NR_F64;
            DoubleVector b0 = DoubleVector.fromArray(F64, bp, b);
            DoubleVector b1 = DoubleVector.fromArray(F64, bp, b + lanes);
            // One variable per broadcast, all scoped to the loop body: reusing one variable
            // for all six made C2 keep a heap copy of an accumulator alive across iterations.
            DoubleVector a0 = DoubleVector.broadcast(F64, ap[a]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            DoubleVector a1 = DoubleVector.broadcast(F64, ap[a + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            DoubleVector a2 = DoubleVector.broadcast(F64, ap[a + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            DoubleVector a3 = DoubleVector.broadcast(F64, ap[a + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            DoubleVector a4 = DoubleVector.broadcast(F64, ap[a + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            DoubleVector a5 = DoubleVector.broadcast(F64, ap[a + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
        }

        // Park the tile in a small scratch and apply alpha, beta and the edge clipping in a
        // separate method: a vector handed to a call C2 does not inline would be boxed on the
        // heap, and this method is too big for C2 to inline much more into it.
        int nr = 2 * lanes;
        c00.intoArray(tile, 0);
        c01.intoArray(tile, lanes);
        c10.intoArray(tile, nr);
        c11.intoArray(tile, nr + lanes);
        c20.intoArray(tile, 2 * nr);
        c21.intoArray(tile, 2 * nr + lanes);
        c30.intoArray(tile, 3 * nr);
        c31.intoArray(tile, 3 * nr + lanes);
        c40.intoArray(tile, 4 * nr);
        c41.intoArray(tile, 4 * nr + lanes);
        c50.intoArray(tile, 5 * nr);
        c51.intoArray(tile, 5 * nr + lanes);
    }

    /**
     * C[rows x cols at cAt] = alpha * tile + beta * C, reading C only when beta != 0. The tile is
     * a full {@code MR x NR} block, row-major; only its top-left {@code rows x cols} is used.
     */
    static void dgemmWriteBack(double[] tile, double alpha, double beta,
                               double[] c, int cAt, int ldc, int rows, int cols) {
        final int lanes = F64.length();
        final int nr = 2 * lanes;
        if (cols == nr) {
            DoubleVector va = DoubleVector.broadcast(F64, alpha);
            DoubleVector vb = DoubleVector.broadcast(F64, beta);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < nr; j += lanes) {
                    int at = cAt + i * ldc + j;
                    DoubleVector product = DoubleVector.fromArray(F64, tile, i * nr + j).mul(va);
                    if (beta != 0d) {
                        product = DoubleVector.fromArray(F64, c, at).fma(vb, product);
                    }
                    product.intoArray(c, at);
                }
            }
            return;
        }
        for (int i = 0; i < rows; i++) {
            int row = cAt + i * ldc;
            for (int j = 0; j < cols; j++) {
                double product = alpha * tile[i * nr + j];
                c[row + j] = beta == 0d ? product : product + beta * c[row + j];
            }
        }
    }
}
