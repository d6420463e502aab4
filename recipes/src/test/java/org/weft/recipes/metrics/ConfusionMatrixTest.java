package org.weft.recipes.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.weft.tensor.NDArray;

/** The confusion matrix filled from logits, and the per-class rates read from it, against hand counts. */
class ConfusionMatrixTest {

    @Test
    void countsArgmaxOfLogitsAgainstLabels() {
        ConfusionMatrix m = new ConfusionMatrix(List.of("a", "b", "c"));
        // Predictions (argmax; the tie in the last row goes to the lower class, 0): 0, 1, 2, 1, 0, 0
        NDArray logits = NDArray.of(new float[] {
                3, 1, 0,
                0, 2, 1,
                0, 1, 5,
                1, 4, 2,
                9, 0, 0,
                2, 2, 1}, 6, 3);
        NDArray labels = NDArray.of(new long[] {0, 1, 2, 0, 2, 1}, 6);
        m.add(logits, labels);
        assertArrayEquals(new long[][] {{1, 1, 0}, {1, 1, 0}, {1, 0, 1}}, m.counts());
        assertEquals(6, m.total());
        assertEquals(0.5, m.accuracy());
        assertEquals(1, m.count(1, 0));
        // Recall per true class (rows): a 1/2, b 1/2, c 1/2; precision per predicted class (columns): 1/3, 1/2, 1.
        assertArrayEquals(new double[] {0.5, 0.5, 0.5}, m.perClassRecall());
        assertEquals(1.0 / 3, m.precision(0), 1e-15);
        assertEquals(0.5, m.precision(1));
        assertEquals(1.0, m.precision(2));
        assertEquals(0.5, m.meanClassRecall());
    }

    @Test
    void meanClassRecallSkipsClassesWithoutExamples() {
        ConfusionMatrix m = new ConfusionMatrix(List.of("a", "b", "c"));
        m.add(0, 0);
        m.add(0, 0);
        m.add(0, 1);
        m.add(1, 1);
        // a: 2/3, b: 1, c: no examples -> (2/3 + 1) / 2; plain accuracy is 3/4.
        assertEquals(5.0 / 6, m.meanClassRecall(), 1e-15);
        assertTrue(Double.isNaN(m.recall(2)));
        assertTrue(Double.isNaN(m.precision(2)));
        assertEquals(0.75, m.accuracy());
    }

    @Test
    void badInputsSayWhatWasExpected() {
        ConfusionMatrix m = new ConfusionMatrix(List.of("a", "b", "c"));
        String msg = assertThrows(IllegalArgumentException.class,
                () -> m.add(NDArray.of(new float[4], 2, 2), NDArray.of(new long[] {0, 1}, 2))).getMessage();
        assertTrue(msg.contains("3 classes") && msg.contains("[2, 2]"), msg);
        msg = assertThrows(IllegalArgumentException.class,
                () -> m.add(NDArray.of(new float[6], 2, 3), NDArray.of(new long[] {0, 7}, 2))).getMessage();
        assertTrue(msg.contains("label 7"), msg);
        msg = assertThrows(IllegalArgumentException.class, () -> m.recall(3)).getMessage();
        assertTrue(msg.contains("[0, 3)") && msg.contains("got 3"), msg);
    }
}
