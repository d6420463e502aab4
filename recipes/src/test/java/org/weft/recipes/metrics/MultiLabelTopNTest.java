package org.weft.recipes.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;

/** Top-N recall and accuracy (DeepFashion attribute convention) against hand counts and a counting reference. */
class MultiLabelTopNTest {

    /**
     * Three images, five labels, N = 2. Predicted (the two best): {0, 2}, {1, 3}, {0, 1}.
     * <pre>
     * label  truth per image  TP FN TN  recall      (TP+TN)/3
     *   0      1 0 0           1  0  1   1           2/3
     *   1      0 1 0           1  0  1   1           2/3
     *   2      0 0 0           0  0  2   undefined   2/3
     *   3      1 1 0           1  1  1   1/2         2/3
     *   4      0 0 0           0  0  3   undefined   1
     * </pre>
     * recall = (1 + 1 + 1/2) / 3 = 5/6; accuracy = (4 * 2/3 + 1) / 5 = 11/15. Per image: image 0 finds 1 of
     * its 2 labels, image 1 both, image 2 has none (left out): image recall 3/4, hit rate 1.
     */
    @Test
    void handComputedExample() {
        NDArray scores = NDArray.of(new float[] {
                0.9f, 0.1f, 0.8f, 0.3f, 0.2f,
                0.1f, 0.7f, 0.2f, 0.6f, 0.0f,
                0.5f, 0.4f, 0.3f, 0.2f, 0.1f}, 3, 5);
        NDArray truth = NDArray.of(new float[] {
                1, 0, 0, 1, 0,
                0, 1, 0, 1, 0,
                0, 0, 0, 0, 0}, 3, 5);
        MultiLabelTopN top2 = new MultiLabelTopN(2, 5);
        top2.add(scores, truth);
        assertEquals(5.0 / 6, top2.recall(), 1e-15);
        assertEquals(11.0 / 15, top2.accuracy(), 1e-15);
        assertArrayEquals(new double[] {1, 1, Double.NaN, 0.5, Double.NaN}, top2.perLabelRecall());
        assertEquals(1.0, top2.recallOfBest(2));
        assertEquals(5.0 / 6, top2.recallOfBest(50), 1e-15);
        assertEquals(0.75, top2.imageRecall());
        assertEquals(1.0, top2.imageHitRate());
        assertEquals(3, top2.images());
    }

    @Test
    void streamingOverBatchesMatchesACountingReference() {
        Random random = new Random(0);
        int images = 61;
        int labels = 17;
        double[] scores = new double[images * labels];
        float[] truth = new float[images * labels];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = random.nextGaussian();
            truth[i] = random.nextDouble() < 0.15 ? 1 : 0;
        }
        for (int n : new int[] {1, 3, 5}) {
            // The reference: per label, count over images whether it is true and whether its rank is below N.
            long[] tp = new long[labels];
            long[] fn = new long[labels];
            long[] tn = new long[labels];
            double imageRecallSum = 0;
            int withTruth = 0;
            int hit = 0;
            for (int i = 0; i < images; i++) {
                double[] row = Arrays.copyOfRange(scores, i * labels, (i + 1) * labels);
                int found = 0;
                int count = 0;
                for (int a = 0; a < labels; a++) {
                    boolean t = truth[i * labels + a] == 1;
                    boolean p = Ranks.inTopK(row, a, n);
                    tp[a] += t && p ? 1 : 0;
                    fn[a] += t && !p ? 1 : 0;
                    tn[a] += !t && !p ? 1 : 0;
                    found += t && p ? 1 : 0;
                    count += t ? 1 : 0;
                }
                if (count > 0) {
                    withTruth++;
                    imageRecallSum += (double) found / count;
                    hit += found > 0 ? 1 : 0;
                }
            }
            double recallSum = 0;
            int defined = 0;
            double accuracySum = 0;
            for (int a = 0; a < labels; a++) {
                if (tp[a] + fn[a] > 0) {
                    recallSum += (double) tp[a] / (tp[a] + fn[a]);
                    defined++;
                }
                accuracySum += (double) (tp[a] + tn[a]) / images;
            }

            MultiLabelTopN metric = new MultiLabelTopN(n, labels);
            NDArray all = NDArray.of(scores, images, labels);
            NDArray allTruth = NDArray.of(truth, images, labels);
            for (int start = 0; start < images; start += 8) {
                int len = Math.min(8, images - start);
                metric.add(all.narrow(0, start, len).to(DType.F32), allTruth.narrow(0, start, len));
            }
            assertEquals(recallSum / defined, metric.recall(), 1e-12, "top-" + n + " recall");
            assertEquals(accuracySum / labels, metric.accuracy(), 1e-12, "top-" + n + " accuracy");
            assertEquals(imageRecallSum / withTruth, metric.imageRecall(), 1e-12, "top-" + n + " image recall");
            assertEquals((double) hit / withTruth, metric.imageHitRate(), 1e-12, "top-" + n + " hit rate");

            // Probabilities rank like logits, and a non-contiguous F64 view reads like a contiguous one.
            MultiLabelTopN viaSigmoid = new MultiLabelTopN(n, labels);
            viaSigmoid.add(all.t().contiguous().t().sigmoid(), allTruth.to(DType.I64));
            assertEquals(metric.recall(), viaSigmoid.recall(), 1e-12);
            assertEquals(metric.accuracy(), viaSigmoid.accuracy(), 1e-12);
        }
    }

    @Test
    void nothingTrueIsNaN() {
        MultiLabelTopN m = new MultiLabelTopN(1, 3);
        assertTrue(Double.isNaN(m.recall()) && Double.isNaN(m.accuracy()) && Double.isNaN(m.imageRecall()));
        m.add(NDArray.of(new float[] {1, 2, 3}, 1, 3), NDArray.of(new float[3], 1, 3));
        assertTrue(Double.isNaN(m.recall()) && Double.isNaN(m.imageHitRate()));
        assertEquals(2.0 / 3, m.accuracy(), 1e-15);
    }

    @Test
    void badInputsSayWhatWasExpected() {
        assertThrows(IllegalArgumentException.class, () -> new MultiLabelTopN(6, 5));
        MultiLabelTopN m = new MultiLabelTopN(3, 5);
        String msg = assertThrows(IllegalArgumentException.class,
                () -> m.add(NDArray.of(new float[8], 2, 4), NDArray.of(new float[8], 2, 4))).getMessage();
        assertTrue(msg.contains("5 labels") && msg.contains("[2, 4]"), msg);
        msg = assertThrows(IllegalArgumentException.class,
                () -> m.add(NDArray.of(new float[10], 2, 5), NDArray.of(new float[5], 1, 5))).getMessage();
        assertTrue(msg.contains("[2, 5]") && msg.contains("[1, 5]"), msg);
        float[] soft = new float[10];
        soft[7] = 0.5f;
        msg = assertThrows(IllegalArgumentException.class,
                () -> m.add(NDArray.of(new float[10], 2, 5), NDArray.of(soft, 2, 5))).getMessage();
        assertTrue(msg.contains("0 or 1") && msg.contains("0.5") && msg.contains("[1, 2]"), msg);
    }
}
