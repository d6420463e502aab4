package org.weft.recipes.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;

/** Top-k accuracy against hand-computed values and against a counting reference on random scores. */
class TopKAccuracyTest {

    @Test
    void handComputedExampleWithATie() {
        NDArray scores = NDArray.of(new float[] {
                0.1f, 0.5f, 0.2f, 0.9f,   // label 3: the best            -> top-1
                2.0f, 1.0f, 3.0f, 0.0f,   // label 0: second best         -> top-2
                0.3f, 0.3f, 0.1f, 0.2f,   // label 1: tied with class 0, which wins the tie -> top-2
                -1f, -2f, -3f, -4f}, 4, 4); // label 3: the worst          -> top-4
        NDArray labels = NDArray.of(new long[] {3, 0, 1, 3}, 4);
        TopKAccuracy acc = new TopKAccuracy(1, 2, 3, 4);
        acc.add(scores, labels);
        assertEquals(0.25, acc.accuracy(1));
        assertEquals(0.75, acc.accuracy(2));
        assertEquals(0.75, acc.accuracy(3));
        assertEquals(1.0, acc.accuracy(4));
        assertEquals(4, acc.count());
        assertEquals(0.25, TopKAccuracy.of(scores, labels, 1));
    }

    @Test
    void streamingOverBatchesMatchesACountingReference() {
        Random random = new Random(6);
        int n = 103;
        int classes = 11;
        double[] scores = new double[n * classes];
        long[] labels = new long[n];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = random.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(classes);
        }
        int[] ks = {1, 3, 5};
        int[] expected = new int[ks.length];
        for (int i = 0; i < n; i++) {
            double[] row = java.util.Arrays.copyOfRange(scores, i * classes, (i + 1) * classes);
            for (int q = 0; q < ks.length; q++) {
                expected[q] += Ranks.inTopK(row, (int) labels[i], ks[q]) ? 1 : 0;
            }
        }
        // Batches of 10 (the last one short), as F32; and the whole set at once, as a transposed F64 view.
        TopKAccuracy streamed = new TopKAccuracy(ks);
        NDArray all = NDArray.of(scores, n, classes);
        NDArray allLabels = NDArray.of(labels, n);
        for (int start = 0; start < n; start += 10) {
            int end = Math.min(n, start + 10);
            streamed.add(all.narrow(0, start, end - start).to(DType.F32), allLabels.narrow(0, start, end - start));
        }
        NDArray transposed = NDArray.of(scores, n, classes).t().contiguous().t();
        assertTrue(!transposed.isContiguous());
        TopKAccuracy whole = new TopKAccuracy(ks);
        whole.add(transposed, allLabels);
        for (int q = 0; q < ks.length; q++) {
            assertEquals((double) expected[q] / n, streamed.accuracy(ks[q]), 1e-15, "k = " + ks[q]);
            assertEquals((double) expected[q] / n, whole.accuracy(ks[q]), 1e-15, "k = " + ks[q]);
        }
        assertEquals(n, streamed.count());
    }

    @Test
    void emptyIsNaNAndEmptyBatchesAreFine() {
        TopKAccuracy acc = new TopKAccuracy(1);
        assertTrue(Double.isNaN(acc.accuracy(1)));
        acc.add(NDArray.zeros(DType.F32, org.weft.tensor.Device.CPU, 0, 5), NDArray.of(new long[0], 0));
        assertEquals(0, acc.count());
    }

    @Test
    void badInputsSayWhatWasExpected() {
        NDArray scores = NDArray.of(new float[6], 2, 3);
        TopKAccuracy acc = new TopKAccuracy(1, 4);
        String m = assertThrows(IllegalArgumentException.class,
                () -> acc.add(scores, NDArray.of(new long[] {0, 1}, 2))).getMessage();
        assertTrue(m.contains("k = 4") && m.contains("3"), m);

        TopKAccuracy one = new TopKAccuracy(1);
        m = assertThrows(IllegalArgumentException.class,
                () -> one.add(scores, NDArray.of(new float[] {0, 1}, 2))).getMessage();
        assertTrue(m.contains("I64") && m.contains("F32"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> one.add(scores, NDArray.of(new long[] {0, 1, 2}, 3))).getMessage();
        assertTrue(m.contains("[2]") && m.contains("[3]"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> one.add(scores, NDArray.of(new long[] {0, 3}, 2))).getMessage();
        assertTrue(m.contains("label 3") && m.contains("3 classes"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> one.add(NDArray.of(new float[6], 6), NDArray.of(new long[] {0}, 1))).getMessage();
        assertTrue(m.contains("[batch, classes]"), m);
        m = assertThrows(IllegalArgumentException.class, () -> one.accuracy(5)).getMessage();
        assertTrue(m.contains("k = 5") && m.contains("[1]"), m);
        assertThrows(IllegalArgumentException.class, () -> new TopKAccuracy(0));
    }
}
