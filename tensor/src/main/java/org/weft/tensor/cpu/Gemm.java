package org.weft.tensor.cpu;

/**
 * PLACEHOLDER until the blocked Vector API kernel lands (branch gemm): the same public
 * signatures computed by plain loops. C = alpha * A B + beta * C with A(i,p) = a[aOff + i*aRs + p*aCs],
 * B(p,j) = b[bOff + p*bRs + j*bCs], C(i,j) = c[cOff + i*ldc + j]; beta == 0 overwrites C.
 */
public final class Gemm {

    private Gemm() {
    }

    public static void sgemm(int m, int n, int k, float alpha, float[] a, int aOff, int aRs, int aCs,
                             float[] b, int bOff, int bRs, int bCs, float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0;
                for (int p = 0; p < k; p++) {
                    s += a[aOff + i * aRs + p * aCs] * b[bOff + p * bRs + j * bCs];
                }
                int ci = cOff + i * ldc + j;
                c[ci] = beta == 0 ? alpha * s : alpha * s + beta * c[ci];
            }
        }
    }

    public static void dgemm(int m, int n, int k, double alpha, double[] a, int aOff, int aRs, int aCs,
                             double[] b, int bOff, int bRs, int bCs, double beta, double[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += a[aOff + i * aRs + p * aCs] * b[bOff + p * bRs + j * bCs];
                }
                int ci = cOff + i * ldc + j;
                c[ci] = beta == 0 ? alpha * s : alpha * s + beta * c[ci];
            }
        }
    }

    public static void sgemmBatched(int batch, int m, int n, int k, float alpha, float[] a, int[] aOffs, int aRs, int aCs,
                                    float[] b, int[] bOffs, int bRs, int bCs, float beta, float[] c, int[] cOffs, int ldc) {
        for (int t = 0; t < batch; t++) {
            sgemm(m, n, k, alpha, a, aOffs[t], aRs, aCs, b, bOffs[t], bRs, bCs, beta, c, cOffs[t], ldc);
        }
    }

    public static void dgemmBatched(int batch, int m, int n, int k, double alpha, double[] a, int[] aOffs, int aRs, int aCs,
                                    double[] b, int[] bOffs, int bRs, int bCs, double beta, double[] c, int[] cOffs, int ldc) {
        for (int t = 0; t < batch; t++) {
            dgemm(m, n, k, alpha, a, aOffs[t], aRs, aCs, b, bOffs[t], bRs, bCs, beta, c, cOffs[t], ldc);
        }
    }
}
