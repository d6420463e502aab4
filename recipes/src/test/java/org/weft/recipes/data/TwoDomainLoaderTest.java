package org.weft.recipes.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Paper 000's alternating source/target sampling. */
class TwoDomainLoaderTest {

    private static DataLoader loader(int size, int batch, long seed) {
        return DataLoader.builder(new SyntheticDataset(size)).batchSize(batch).shuffle(true).seed(seed).workers(2)
                .build();
    }

    private static List<BatchPair> drain(Iterator<BatchPair> it) {
        List<BatchPair> out = new ArrayList<>();
        while (it.hasNext()) {
            out.add(it.next());
        }
        return out;
    }

    @Test
    void anEpochEndsWhenTheSmallerDomainIsExhausted() throws InterruptedException {
        try (DataLoader source = loader(40, 4, 1); DataLoader target = loader(17, 4, 2);
             DataLoader sourceAlone = loader(40, 4, 1); DataLoader targetAlone = loader(17, 4, 2)) {
            TwoDomainLoader two = new TwoDomainLoader(source, target);
            assertEquals(5, two.stepsPerEpoch(), "min(10 source batches, 5 target batches)");
            List<BatchPair> steps = drain(two.epoch(3, 0));
            assertEquals(5, steps.size());
            DataLoaderTest.waitForNoWorkers(); // the larger domain's unused batches are not left being made
            Iterator<Batch> s = sourceAlone.epoch(3, 0);
            Iterator<Batch> t = targetAlone.epoch(3, 0);
            for (BatchPair p : steps) {
                assertArrayEquals(s.next().indices(), p.source().indices(), "step s takes source batch s");
                assertArrayEquals(t.next().indices(), p.target().indices(), "and target batch s");
            }
        }
    }

    @Test
    void aResumedEpochIsTheTailOfTheFullEpoch() {
        try (DataLoader source = loader(30, 4, 1); DataLoader target = loader(50, 5, 2)) {
            TwoDomainLoader two = new TwoDomainLoader(source, target);
            assertEquals(8, two.stepsPerEpoch());
            List<BatchPair> full = drain(two.epoch(1, 0));
            List<BatchPair> tail = drain(two.epoch(1, 6));
            assertEquals(2, tail.size());
            for (int i = 0; i < 2; i++) {
                assertArrayEquals(full.get(6 + i).source().images().toFloatArray(),
                        tail.get(i).source().images().toFloatArray());
                assertArrayEquals(full.get(6 + i).target().indices(), tail.get(i).target().indices());
            }
            assertFalse(two.epoch(1, 8).hasNext());
            assertThrows(IllegalArgumentException.class, () -> two.epoch(1, 9));
        }
    }

    @Test
    void sourceAndTargetMustBeTwoLoaders() {
        try (DataLoader one = loader(10, 2, 0)) {
            assertThrows(IllegalArgumentException.class, () -> new TwoDomainLoader(one, one));
        }
    }
}
