package org.weft.recipes.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.weft.tensor.DType;

/** The loader's contract: batches are a function of (seed, epoch, position) only, and its threads are bounded. */
class DataLoaderTest {

    /** Adds a random offset to every pixel, so any dependence of the draws on threads or order would show. */
    private static final Transform JITTER = (image, random) -> {
        float[] out = image.pixels().clone();
        float shift = random.nextFloat();
        for (int i = 0; i < out.length; i++) {
            out[i] += shift;
        }
        return new Image(image.channels(), image.height(), image.width(), out);
    };

    @AfterEach
    void noWorkerThreadOutlivesItsTest() throws InterruptedException {
        waitForNoWorkers();
    }

    private static List<Batch> drain(Iterator<Batch> it) {
        List<Batch> out = new ArrayList<>();
        while (it.hasNext()) {
            out.add(it.next());
        }
        return out;
    }

    private static DataLoader loader(SyntheticDataset data, int workers) {
        return DataLoader.builder(data).transform(JITTER).batchSize(4).shuffle(true).seed(7).workers(workers).build();
    }

    private static void assertSameBatches(List<Batch> expected, List<Batch> actual) {
        assertEquals(expected.size(), actual.size());
        for (int b = 0; b < expected.size(); b++) {
            assertArrayEquals(expected.get(b).indices(), actual.get(b).indices(), "indices of batch " + b);
            assertArrayEquals(expected.get(b).images().toFloatArray(), actual.get(b).images().toFloatArray(),
                    "images of batch " + b);
            assertArrayEquals(expected.get(b).labels().toLongArray(), actual.get(b).labels().toLongArray());
        }
    }

    @Test
    void batchesAreTheSameForZeroOneAndThreeWorkers() {
        List<Batch> reference;
        try (DataLoader l = loader(new SyntheticDataset(37), 0)) {
            reference = drain(l.epoch(2, 0));
        }
        for (int workers : new int[] {1, 3}) {
            try (DataLoader l = loader(new SyntheticDataset(37), workers)) {
                assertSameBatches(reference, drain(l.epoch(2, 0)));
            }
        }
    }

    @Test
    void collatesImagesAsBchwAndLabelsAsI64() {
        try (DataLoader l = DataLoader.builder(new SyntheticDataset(10)).batchSize(4).workers(2).build()) {
            Batch b = l.epoch(0, 0).next();
            assertArrayEquals(new int[] {4, 1, 2, 3}, b.images().shape().dims());
            assertEquals(DType.F32, b.images().dtype());
            assertEquals(DType.I64, b.labels().dtype());
            assertArrayEquals(new long[] {0, 1, 2, 3}, b.labels().toLongArray());
            assertArrayEquals(new int[] {0, 1, 2, 3}, b.indices());
            // Example 2, pixel (row 1, column 0) = 2 + 3/10.
            assertEquals(2.3f, b.images().toFloatArray()[2 * 6 + 3], 1e-6f);
        }
    }

    @Test
    void anExamplesAugmentationDependsOnlyOnSeedEpochAndIndex() {
        Map<Integer, float[]> shuffled = new HashMap<>();
        try (DataLoader l = DataLoader.builder(new SyntheticDataset(23)).transform(JITTER).batchSize(4).shuffle(true)
                .seed(5).workers(2).build()) {
            for (Batch b : drain(l.epoch(3, 0))) {
                float[] x = b.images().toFloatArray();
                for (int r = 0; r < b.size(); r++) {
                    shuffled.put(b.indices()[r], Arrays.copyOfRange(x, r * 6, r * 6 + 6));
                }
            }
        }
        try (DataLoader l = DataLoader.builder(new SyntheticDataset(23)).transform(JITTER).batchSize(3).seed(5)
                .workers(0).build()) {
            for (Batch b : drain(l.epoch(3, 0))) {
                float[] x = b.images().toFloatArray();
                for (int r = 0; r < b.size(); r++) {
                    assertArrayEquals(shuffled.get(b.indices()[r]), Arrays.copyOfRange(x, r * 6, r * 6 + 6));
                }
            }
            float[] epoch3 = l.epoch(3, 0).next().images().toFloatArray();
            float[] epoch4 = l.epoch(4, 0).next().images().toFloatArray();
            assertNotEquals(epoch3[0], epoch4[0], "a new epoch draws new augmentations");
        }
    }

    @Test
    void aResumedEpochIsTheTailOfTheFullEpoch() {
        for (int workers : new int[] {0, 2}) {
            try (DataLoader l = loader(new SyntheticDataset(30), workers)) {
                List<Batch> full = drain(l.epoch(1, 0));
                assertEquals(8, full.size());
                assertEquals(8, l.batchesPerEpoch());
                assertSameBatches(full.subList(3, 8), drain(l.epoch(1, 3)));
                assertFalse(l.epoch(1, 8).hasNext());
                assertThrows(IllegalArgumentException.class, () -> l.epoch(1, 9));
            }
        }
    }

    @Test
    void shuffleVisitsEveryExampleOncePerEpochInANewOrder() {
        try (DataLoader l = DataLoader.builder(new SyntheticDataset(10)).batchSize(4).shuffle(true).seed(1)
                .workers(0).build()) {
            int[][] orders = new int[2][];
            for (int e = 0; e < 2; e++) {
                List<Batch> batches = drain(l.epoch(e, 0));
                assertEquals(List.of(4, 4, 2), batches.stream().map(Batch::size).toList());
                orders[e] = batches.stream().flatMapToInt(b -> Arrays.stream(b.indices())).toArray();
                assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, Arrays.stream(orders[e]).sorted().toArray());
            }
            assertFalse(Arrays.equals(orders[0], orders[1]));
        }
    }

    @Test
    void dropLastLeavesOutTheShortBatch() {
        try (DataLoader l = DataLoader.builder(new SyntheticDataset(10)).batchSize(4).dropLast(true).workers(1)
                .build()) {
            assertEquals(2, l.batchesPerEpoch());
            List<Batch> batches = drain(l.epoch(0, 0));
            assertEquals(2, batches.size());
            assertArrayEquals(new int[] {4, 5, 6, 7}, batches.get(1).indices());
        }
        try (DataLoader l = DataLoader.builder(new SyntheticDataset(8)).batchSize(4).dropLast(true).build()) {
            assertEquals(2, l.batchesPerEpoch(), "nothing to drop when the batches divide evenly");
        }
    }

    @Test
    void multiLabelExamplesCollateToF32MultiHot() {
        Dataset multi = new SyntheticDataset(3) {
            @Override
            public Sample get(int index) {
                return Sample.multiLabel(super.get(index).image(), new float[] {index, 1, 0});
            }

            @Override
            public boolean isMultiLabel() {
                return true;
            }
        };
        try (DataLoader l = DataLoader.builder(multi).batchSize(3).workers(0).build()) {
            Batch b = l.epoch(0, 0).next();
            assertEquals(DType.F32, b.labels().dtype());
            assertArrayEquals(new int[] {3, 3}, b.labels().shape().dims());
            assertArrayEquals(new float[] {0, 1, 0, 1, 1, 0, 2, 1, 0}, b.labels().toFloatArray());
        }
    }

    @Test
    void imagesOfDifferentSizesInOneBatchNameBothExamples() {
        Dataset ragged = new SyntheticDataset(4) {
            @Override
            public Sample get(int index) {
                return index == 2 ? Sample.of(Image.zeros(1, 5, 5), 0) : super.get(index);
            }
        };
        try (DataLoader l = DataLoader.builder(ragged).batchSize(4).workers(2).build()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> l.epoch(0, 0).next());
            assertTrue(e.getMessage().contains("example 0 is 1x2x3"), e.getMessage());
            assertTrue(e.getMessage().contains("example 2 is 1x5x5"), e.getMessage());
        }
    }

    @Test
    void aFailingExampleSurfacesInNextWithItsIndexAndCause() {
        for (int workers : new int[] {0, 3}) {
            SyntheticDataset data = new SyntheticDataset(20);
            data.failAt = 13;
            try (DataLoader l = DataLoader.builder(data).batchSize(4).workers(workers).build()) {
                Iterator<Batch> it = l.epoch(0, 0);
                for (int b = 0; b < 3; b++) {
                    assertEquals(4, it.next().size(), "batches before the failing one arrive");
                }
                DataLoaderException e = assertThrows(DataLoaderException.class, it::next);
                assertEquals(13, e.index());
                assertTrue(e.getMessage().contains("example 13"), e.getMessage());
                assertTrue(e.getMessage().contains("cannot decode synthetic file 13.png"), e.getMessage());
                assertTrue(e.getCause() instanceof IllegalStateException);
                assertFalse(it.hasNext(), "an epoch ends at its first failure");
            }
        }
    }

    @Test
    void closeLeavesNoWorkerThreads() throws InterruptedException {
        SyntheticDataset data = new SyntheticDataset(200);
        data.sleepMillis = 2;
        DataLoader l = DataLoader.builder(data).batchSize(2).workers(3).build();
        Iterator<Batch> it = l.epoch(0, 0);
        it.next();
        assertTrue(workerThreads() > 0, "workers run while the epoch is open");
        l.close();
        assertEquals(0, workerThreads(), "close() joins the workers");
        assertThrows(IllegalStateException.class, () -> l.epoch(1, 0));
    }

    @Test
    void startingAnotherEpochOrFinishingOneStopsTheWorkers() throws InterruptedException {
        try (DataLoader l = DataLoader.builder(new SyntheticDataset(100)).batchSize(2).workers(3).build()) {
            Iterator<Batch> abandoned = l.epoch(0, 0);
            abandoned.next();
            drain(l.epoch(1, 0));
            waitForNoWorkers();
            assertThrows(IllegalStateException.class, abandoned::next, "a stopped iterator says so");
        }
    }

    @Test
    void anUnreachableIteratorsWorkersAreStopped() throws InterruptedException {
        DataLoader l = DataLoader.builder(new SyntheticDataset(100)).batchSize(2).workers(2).build();
        l.epoch(0, 0).next();
        assertTrue(workerThreads() > 0);
        for (int i = 0; i < 50 && workerThreads() > 0; i++) {
            System.gc();
            Thread.sleep(50);
        }
        assertEquals(0, workerThreads(), "the cleaner stops the workers of a dropped iterator");
    }

    @Test
    void workersGetAheadOfTheConsumerByAtMostPrefetchBatches() throws InterruptedException {
        SyntheticDataset data = new SyntheticDataset(60);
        int batch = 3;
        int prefetch = 4;
        try (DataLoader l = DataLoader.builder(data).batchSize(batch).workers(2).prefetch(prefetch).build()) {
            Iterator<Batch> it = l.epoch(0, 0);
            long deadline = System.currentTimeMillis() + 10_000;
            while (data.gets.get() < prefetch * batch && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(100);
            assertEquals(prefetch * batch, data.gets.get(), "the workers fill the prefetch queue and stop there");
            for (int consumed = 1; consumed <= 20; consumed++) {
                it.next();
                Thread.sleep(3);
                int ahead = data.gets.get() - consumed * batch;
                assertTrue(ahead <= prefetch * batch, "read " + ahead + " examples ahead after " + consumed + " batches");
            }
        }
    }

    @Test
    void optionsAreCheckedWhenBuilt() {
        SyntheticDataset data = new SyntheticDataset(5);
        BatchSampler batches = BatchSampler.of(new SequentialSampler(5), 2, false);
        assertThrows(IllegalArgumentException.class,
                () -> DataLoader.builder(data).batchSampler(batches).batchSize(2).build());
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(data).batchSize(0).build());
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(data).workers(-1).build());
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(data).prefetch(0).build());
        assertThrows(IllegalArgumentException.class,
                () -> DataLoader.builder(data).sampler(new SequentialSampler(5)).shuffle(true).build());
        try (DataLoader l = DataLoader.builder(data).batchSampler(epoch -> List.of(new int[] {0, 5})).build()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> l.epoch(0, 0));
            assertTrue(e.getMessage().contains("index 5"), e.getMessage());
        }
    }

    static int workerThreads() {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("weft-data-worker")) {
                n++;
            }
        }
        return n;
    }

    static void waitForNoWorkers() throws InterruptedException {
        for (int i = 0; i < 200 && workerThreads() > 0; i++) {
            Thread.sleep(10);
        }
        assertEquals(0, workerThreads(), "worker threads left behind");
    }
}
