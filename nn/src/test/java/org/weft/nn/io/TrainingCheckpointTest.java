package org.weft.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractCollection;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weft.autograd.Tensor;
import org.weft.nn.BatchNorm1d;
import org.weft.nn.Dropout;
import org.weft.nn.Linear;
import org.weft.nn.Module;
import org.weft.nn.ReLU;
import org.weft.nn.Sequential;
import org.weft.nn.optim.Adam;
import org.weft.nn.optim.LRScheduler;
import org.weft.nn.optim.Optimizer;
import org.weft.nn.optim.SGD;
import org.weft.nn.optim.StepLR;
import org.weft.nn.optim.WarmupCosineLR;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;
import org.weft.tensor.io.SafeTensors;
import org.weft.tensor.random.Generator;

/**
 * A training checkpoint resumes training exactly, survives a crash while it is being
 * replaced, and refuses files that are not checkpoints by naming them.
 */
class TrainingCheckpointTest {

    @TempDir
    Path dir;

    /** A model whose training depends on its buffers (batch norm) and on the random generator (dropout). */
    private static Module model() {
        return new Sequential(new Linear(4, 8), new BatchNorm1d(8), new ReLU(), new Dropout(0.3), new Linear(8, 2));
    }

    /** One training object graph: what a training script builds before its loop. */
    private record Run(Module model, Optimizer optimizer, LRScheduler scheduler) {
    }

    private static Run sgdRun() {
        Module m = model();
        SGD opt = new SGD(m.parameters(), SGD.options().lr(0.1).momentum(0.9).weightDecay(1e-3));
        return new Run(m, opt, new StepLR(opt, 3, 0.5));
    }

    private static Run adamRun() {
        Module m = model();
        Adam opt = new Adam(m.parameters(), Adam.options().lr(0.01).amsgrad(true));
        return new Run(m, opt, new WarmupCosineLR(opt, 2, 10, 0.1, 1e-4));
    }

    /** The batch of step {@code step}: fixed by the step, as a data loader with a seeded order gives. */
    private static void trainStep(Run run, int step) {
        Generator data = new Generator(1000 + step);
        Tensor x = Tensor.of(NDArray.randn(DType.F32, data, 6, 4));
        Tensor y = Tensor.of(NDArray.randn(DType.F32, data, 6, 2));
        run.optimizer().zeroGrad();
        Tensor diff = run.model().call(x).sub(y);
        diff.mul(diff).mean().backward();
        run.optimizer().step();
        run.scheduler().step();
    }

    private static Map<String, float[]> snapshot(Run run) {
        Map<String, float[]> out = new LinkedHashMap<>();
        run.model().stateDict().forEach((k, t) -> out.put(k, t.data().to(DType.F32).toFloatArray()));
        run.optimizer().stateDict().tensors().forEach((k, a) -> out.put("optim." + k, a.toFloatArray()));
        return out;
    }

    private static void assertBitIdentical(Map<String, float[]> expected, Map<String, float[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((k, v) -> assertArrayEquals(v, actual.get(k), k + " differs"));
    }

    @Test
    void resumingSgdTakesTheSameStepsAsNotStopping() throws IOException {
        resumeIsExact(TrainingCheckpointTest::sgdRun);
    }

    @Test
    void resumingAdamTakesTheSameStepsAsNotStopping() throws IOException {
        resumeIsExact(TrainingCheckpointTest::adamRun);
    }

    private void resumeIsExact(java.util.function.Supplier<Run> build) throws IOException {
        int k = 4;
        int m = 3;
        Path path = dir.resolve("ckpt.safetensors");
        Generator.global().manualSeed(7);
        Run straight = build.get();
        for (int s = 0; s < k; s++) {
            trainStep(straight, s);
        }
        TrainingCheckpoint.save(path, straight.model(), straight.optimizer(), straight.scheduler(), 1, k,
                Map.of("run", "resume-test"));
        for (int s = k; s < k + m; s++) {
            trainStep(straight, s);
        }
        Map<String, float[]> expected = snapshot(straight);
        double[] expectedLr = straight.scheduler().lastLr();

        // A new process: other initial weights, another generator state, fresh optimiser and scheduler.
        Generator.global().manualSeed(12345);
        Run resumed = build.get();
        TrainingCheckpoint.Info info = TrainingCheckpoint.load(path, resumed.model(), resumed.optimizer(),
                resumed.scheduler());
        assertEquals(1, info.epoch());
        assertEquals(k, info.step());
        assertEquals(Map.of("run", "resume-test"), info.extra());
        for (int s = k; s < k + m; s++) {
            trainStep(resumed, s);
        }
        assertBitIdentical(expected, snapshot(resumed));
        assertArrayEquals(expectedLr, resumed.scheduler().lastLr());

        // The generator state is part of what makes it exact: without it, dropout draws other masks.
        Run noRng = build.get();
        TrainingCheckpoint.load(path, noRng.model(), noRng.optimizer(), noRng.scheduler());
        Generator.global().manualSeed(99);
        for (int s = k; s < k + m; s++) {
            trainStep(noRng, s);
        }
        assertFalse(java.util.Arrays.equals(expected.get("0.weight"), snapshot(noRng).get("0.weight")),
                "a resumed run with another generator state should differ (else this test proves nothing about RNG)");
    }

    @Test
    void aCrashWhileSavingLeavesThePreviousCheckpointIntact() throws IOException {
        Path path = dir.resolve("ckpt.safetensors");
        Generator.global().manualSeed(3);
        Run run = sgdRun();
        trainStep(run, 0);
        TrainingCheckpoint.save(path, run.model(), run.optimizer(), run.scheduler(), 0, 1, Map.of());
        byte[] before = Files.readAllBytes(path);
        Map<String, float[]> savedState = snapshot(run);

        trainStep(run, 1);
        long[] partialBytes = {-1};
        // The real writer, fed tensors whose data stream breaks after the third tensor, as a
        // process killed mid-write would stop: at that moment the temporary file holds a part.
        TrainingCheckpoint.Writer crashing = (p, tensors, metadata) -> SafeTensors.write(p,
                breakingAfter(tensors, 3, () -> partialBytes[0] = tempFileSize()), metadata);
        UncheckedIOException crash = assertThrows(UncheckedIOException.class, () -> TrainingCheckpoint.save(path,
                run.model(), run.optimizer(), run.scheduler(), 0, 2, Map.of(), crashing));
        assertEquals("simulated crash", crash.getCause().getMessage());
        assertTrue(partialBytes[0] > 8, "the temporary file should have been partly written, was " + partialBytes[0]);

        assertArrayEquals(before, Files.readAllBytes(path), "the previous checkpoint must be untouched");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(path), files.toList(), "no temporary file is left behind");
        }
        Run restored = sgdRun();
        TrainingCheckpoint.Info info = TrainingCheckpoint.load(path, restored.model(), restored.optimizer(),
                restored.scheduler());
        assertEquals(1, info.step());
        assertBitIdentical(savedState, snapshot(restored));
    }

    private long tempFileSize() {
        try (Stream<Path> files = Files.list(dir)) {
            long size = -1;
            for (Path p : files.toList()) {
                if (p.getFileName().toString().endsWith(".tmp")) {
                    size = Files.size(p);
                }
            }
            return size;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The same tensors, but a walk over their values (the writer streams the data out that
     * way, after writing the header from the entries) throws after {@code n} of them, first
     * running {@code atCrash}.
     */
    private static Map<String, NDArray> breakingAfter(Map<String, NDArray> tensors, int n, Runnable atCrash) {
        return new LinkedHashMap<>(tensors) {
            @Override
            public Collection<NDArray> values() {
                Collection<NDArray> real = super.values();
                return new AbstractCollection<>() {
                    @Override
                    public Iterator<NDArray> iterator() {
                        Iterator<NDArray> it = real.iterator();
                        return new Iterator<>() {
                            private int given;

                            @Override
                            public boolean hasNext() {
                                return it.hasNext();
                            }

                            @Override
                            public NDArray next() {
                                if (given++ == n) {
                                    atCrash.run();
                                    throw new UncheckedIOException(new IOException("simulated crash"));
                                }
                                return it.next();
                            }
                        };
                    }

                    @Override
                    public int size() {
                        return real.size();
                    }
                };
            }
        };
    }

    @Test
    void aCorruptedFileIsRefusedByName() throws IOException {
        Path path = dir.resolve("ckpt.safetensors");
        Run run = sgdRun();
        trainStep(run, 0);
        TrainingCheckpoint.save(path, run.model(), run.optimizer(), run.scheduler(), 0, 1, Map.of());
        byte[] bytes = Files.readAllBytes(path);

        Path truncated = dir.resolve("truncated.safetensors");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 10));
        IOException e = assertThrows(IOException.class, () -> TrainingCheckpoint.load(truncated, run.model(),
                run.optimizer(), run.scheduler()));
        assertTrue(e.getMessage().contains(truncated.toString()), e.getMessage());

        Path garbage = dir.resolve("garbage.bin");
        Files.write(garbage, "this is not a checkpoint at all".getBytes());
        e = assertThrows(IOException.class, () -> TrainingCheckpoint.load(garbage, run.model(), run.optimizer(),
                run.scheduler()));
        assertTrue(e.getMessage().contains(garbage.toString()), e.getMessage());
    }

    @Test
    void aForeignSafetensorsFileIsRefusedByName() throws IOException {
        Run run = sgdRun();
        Path weights = dir.resolve("weights.safetensors");
        Map<String, NDArray> plain = new LinkedHashMap<>();
        run.model().stateDict().forEach((k, t) -> plain.put(k, t.data()));
        SafeTensors.write(weights, plain);
        IOException e = assertThrows(IOException.class, () -> TrainingCheckpoint.load(weights, run.model(),
                run.optimizer(), run.scheduler()));
        assertTrue(e.getMessage().contains(weights.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not a Weft training checkpoint"), e.getMessage());
    }

    @Test
    void aCheckpointOfAnotherSetupChangesNothing() throws IOException {
        Path path = dir.resolve("ckpt.safetensors");
        Run sgd = sgdRun();
        trainStep(sgd, 0);
        TrainingCheckpoint.save(path, sgd.model(), sgd.optimizer(), sgd.scheduler(), 0, 1, Map.of());

        Run adam = adamRun();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingCheckpoint.load(path, adam.model(), adam.optimizer(), adam.scheduler()));
        assertTrue(e.getMessage().contains(path.toString()) && e.getMessage().contains("SGD"), e.getMessage());

        // Another head size: the model part does not fit; the optimiser must not be half-loaded either.
        Module wider = new Sequential(new Linear(4, 8), new BatchNorm1d(8), new ReLU(), new Dropout(0.3), new Linear(8, 3));
        SGD opt = new SGD(wider.parameters(), SGD.options().lr(0.1).momentum(0.9).weightDecay(1e-3));
        StepLR sched = new StepLR(opt, 3, 0.5);
        Map<String, float[]> before = new LinkedHashMap<>();
        wider.stateDict().forEach((k, t) -> before.put(k, t.data().to(DType.F32).toFloatArray()));
        e = assertThrows(IllegalArgumentException.class, () -> TrainingCheckpoint.load(path, wider, opt, sched));
        assertTrue(e.getMessage().contains(path.toString()) && e.getMessage().contains("4.weight"), e.getMessage());
        Map<String, float[]> after = new LinkedHashMap<>();
        wider.stateDict().forEach((k, t) -> after.put(k, t.data().to(DType.F32).toFloatArray()));
        assertBitIdentical(before, after);
        assertTrue(opt.state(wider.parameters().get(0)).isEmpty());
    }

    @Test
    void loadNeedsTheSchedulerItWasSavedWith() throws IOException {
        Path path = dir.resolve("ckpt.safetensors");
        Run run = sgdRun();
        trainStep(run, 0);
        TrainingCheckpoint.save(path, run.model(), run.optimizer(), run.scheduler(), 0, 1, Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingCheckpoint.load(path, run.model(), run.optimizer(), null));
        assertTrue(e.getMessage().contains("StepLR scheduler, but none was given"), e.getMessage());
    }
}
