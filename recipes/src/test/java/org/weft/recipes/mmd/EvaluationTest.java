package org.weft.recipes.mmd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** The paper's top-N recall of a multi-label task, on scores ranked by hand. */
class EvaluationTest {

    @Test
    void topKRecallCountsTheTrueLabelsAmongTheKHighestScores() {
        // Row 0 ranks its labels 2, 0, 3, 1; truths 0 and 1 are ranked 2nd and 4th.
        // Row 1 ranks 1, 3, 0, 2 (labels 0 and 2 tie at 0.1: the lower index first); truths 2 and 3: 4th and 2nd.
        float[] scores = {0.5f, -1f, 2f, 0.2f, 0.1f, 3f, 0.1f, 1f};
        float[] truth = {1, 1, 0, 0, 0, 0, 1, 1};
        assertArrayEquals(new long[] {0, 4}, Evaluation.topKHits(scores, truth, 4, 1));
        assertArrayEquals(new long[] {2, 4}, Evaluation.topKHits(scores, truth, 4, 2));
        assertArrayEquals(new long[] {2, 4}, Evaluation.topKHits(scores, truth, 4, 3));
        assertArrayEquals(new long[] {4, 4}, Evaluation.topKHits(scores, truth, 4, 4));
    }
}
