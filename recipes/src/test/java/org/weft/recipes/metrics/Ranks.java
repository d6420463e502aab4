package org.weft.recipes.metrics;

/**
 * The reference the metric tests compare with: whether a class is among a row's k best scores, decided by
 * counting, without sorting or topk. A class's rank is the number of classes that beat it: a higher score, or
 * the same score at a lower index (the tie rule of argmax and topk).
 */
final class Ranks {

    private Ranks() {
    }

    static int rank(double[] row, int c) {
        int rank = 0;
        for (int j = 0; j < row.length; j++) {
            if (row[j] > row[c] || (row[j] == row[c] && j < c)) {
                rank++;
            }
        }
        return rank;
    }

    static boolean inTopK(double[] row, int c, int k) {
        return rank(row, c) < k;
    }
}
