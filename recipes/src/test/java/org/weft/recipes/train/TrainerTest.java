package org.weft.recipes.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.weft.recipes.data.Batch;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;
import org.weft.tensor.io.SafeTensors;
import org.weft.tensor.random.Generator;

/**
 * The trainer on {@link LinearTask}: what it logs and when, when it evaluates and checkpoints, and that a
 * training stopped (cleanly or by a crash) and resumed ends with exactly the weights of one that never stopped.
 */
class TrainerTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(printed, true, StandardCharsets.UTF_8);

    private Trainer trainer(Path runDir, Trainer.Settings settings, StopSignal stop) {
        return new Trainer(runDir, settings, new MetricsLog(runDir.resolve("metrics.jsonl")),
                new ProgressBar(log, false, System::nanoTime), log, stop, 42);
    }

    private Trainer trainer(Path runDir, Trainer.Settings settings) {
        return trainer(runDir, settings, new StopSignal());
    }

    private static List<Map<String, Object>> lines(Path runDir, String phase) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> line : MetricsLog.read(runDir.resolve("metrics.jsonl"))) {
            if (phase.equals(line.get("phase"))) {
                out.add(line);
            }
        }
        return out;
    }

    private static double number(Map<String, Object> line, String key) {
        return ((Number) line.get(key)).doubleValue();
    }

    @Test
    void trainLinesAreMeansOverLogEverySteps() throws IOException {
        LinearTask task = new LinearTask(3);
        trainer(dir, new Trainer.Settings(2, 1, 1)).fit("lin", task, 2);

        // 5 steps per epoch, a line every 2 steps and one for the epoch's odd last step.
        List<Map<String, Object>> train = lines(dir, "train");
        long[] steps = train.stream().mapToLong(l -> ((Number) l.get("step")).longValue()).toArray();
        assertArrayEquals(new long[] {2, 4, 5, 7, 9, 10}, steps);
        int[][] windows = {{0, 2}, {2, 4}, {4, 5}, {5, 7}, {7, 9}, {9, 10}};
        for (int i = 0; i < windows.length; i++) {
            Map<String, Object> line = train.get(i);
            double sum = 0;
            for (int s = windows[i][0]; s < windows[i][1]; s++) {
                sum += task.losses.get(s);
            }
            double mean = sum / (windows[i][1] - windows[i][0]);
            assertEquals(mean, number(line, "loss"), 1e-12, "loss of line " + i);
            assertEquals(2 * mean, number(line, "twice_loss"), 1e-12);
            assertEquals(task.lrs.get(windows[i][1] - 1), number(line, "lr"), 0.0, "lr of the window's last step");
            assertEquals(i < 3 ? 1 : 2, line.get("epoch"));
            assertEquals("lin", line.get("run"));
            assertTrue(line.get("time") instanceof String);
        }
        // The StepLR halves the rate after 7 steps: step 8 trains at 0.1.
        assertEquals(0.2, task.lrs.get(6), 0.0);
        assertEquals(0.1, task.lrs.get(7), 1e-15);
    }

    @Test
    void evaluatesEveryEvalEveryEpochsAndAtTheEnd() throws IOException {
        LinearTask task = new LinearTask(3);
        Map<String, Double> result = trainer(dir, new Trainer.Settings(10, 2, 1)).fit("lin", task, 5);

        List<Map<String, Object>> eval = lines(dir, "eval");
        assertEquals(List.of(2, 4, 5), eval.stream().map(l -> l.get("epoch")).toList());
        assertEquals(List.of(10, 20, 25), eval.stream().map(l -> ((Number) l.get("step")).intValue()).toList());
        assertEquals(3, task.evaluations.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(task.evaluations.get(i).get("accuracy"), number(eval.get(i), "accuracy"), 0.0);
            assertEquals(task.evaluations.get(i).get("loss"), number(eval.get(i), "loss"), 0.0);
        }
        assertEquals(task.evaluations.get(2), result);
        assertTrue(result.get("accuracy") > 0.6, "a separable task was not learned: " + result);
    }

    @Test
    void checkpointsEveryCheckpointEveryEpochsAndAtTheEnd() throws IOException {
        LinearTask task = new LinearTask(3);
        Trainer trainer = trainer(dir, new Trainer.Settings(10, 1, 2));
        Path checkpoint = trainer.checkpoint("lin");
        List<String> seenAtEpochStart = new ArrayList<>();
        task.beforeStep = s -> {
            if ((s - 1) % 5 == 0) {
                seenAtEpochStart.add(epochOf(checkpoint));
            }
        };
        trainer.fit("lin", task, 5);
        assertEquals(List.of("none", "none", "2", "2", "4"), seenAtEpochStart);
        Map<String, String> meta = metadata(checkpoint);
        assertEquals("5", meta.get("epoch"));
        assertEquals("25", meta.get("step"));
        assertTrue(meta.get("extra").contains("\"finished\":\"true\""), meta.get("extra"));
        assertTrue(meta.get("extra").contains("\"seed\":\"42\""), meta.get("extra"));
        assertTrue(meta.get("extra").contains("\"metrics\""), meta.get("extra"));
    }

    private static String epochOf(Path checkpoint) {
        try {
            return Files.exists(checkpoint) ? metadata(checkpoint).get("epoch") : "none";
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, String> metadata(Path checkpoint) throws IOException {
        try (SafeTensors.Reader reader = SafeTensors.open(checkpoint)) {
            return reader.metadata();
        }
    }

    /** Trains {@code epochs} epochs of LinearTask(3) without stopping in its own folder; returns the final weights. */
    private Map<String, NDArray> uninterrupted(int epochs, Trainer.Settings settings) throws IOException {
        Path straight = Files.createDirectory(dir.resolve("straight"));
        trainer(straight, settings).fit("lin", new LinearTask(3), epochs);
        return SafeTensors.read(straight.resolve("checkpoints/lin.safetensors"));
    }

    private static void assertSameTensors(Map<String, NDArray> expected, Map<String, NDArray> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        for (String key : expected.keySet()) {
            assertArrayEquals(expected.get(key).toDoubleArray(), actual.get(key).toDoubleArray(), 0.0, key);
        }
    }

    /** Stops after global step 7 (mid-epoch), after 10 (an epoch's last step, before its evaluation) and after 1. */
    @ParameterizedTest
    @ValueSource(ints = {7, 10, 1})
    void aStoppedTrainingResumesToTheWeightsOfAnUninterruptedOne(int stopAfter) throws IOException {
        Trainer.Settings settings = new Trainer.Settings(2, 1, 1);
        Map<String, NDArray> expected = uninterrupted(3, settings);

        Path run = Files.createDirectory(dir.resolve("stopped"));
        StopSignal stop = new StopSignal();
        LinearTask first = new LinearTask(3);
        first.beforeStep = s -> {
            if (s == stopAfter) {
                stop.request();
            }
        };
        RunInterruptedException e = assertThrows(RunInterruptedException.class,
                () -> trainer(run, settings, stop).fit("lin", first, 3));
        assertEquals(run, e.runDir());
        assertEquals(stopAfter, first.stepsTaken, "the step under way when the stop came is finished");
        Map<String, String> meta = metadata(run.resolve("checkpoints/lin.safetensors"));
        assertEquals(Integer.toString(stopAfter), meta.get("step"));
        assertEquals(Integer.toString((stopAfter - 1) / 5), meta.get("epoch"));
        assertTrue(meta.get("extra").contains("\"step_in_epoch\":\"" + ((stopAfter - 1) % 5 + 1) + "\""),
                meta.get("extra"));
        assertTrue(meta.get("extra").contains("\"finished\":\"false\""));

        // A new process: new objects, and a global generator drawn from since.
        LinearTask second = new LinearTask(3);
        Generator.global().manualSeed(12345);
        Map<String, Double> result = trainer(run, settings).fit("lin", second, 3);
        assertEquals(15 - stopAfter, second.stepsTaken);
        assertSameTensors(expected, SafeTensors.read(run.resolve("checkpoints/lin.safetensors")));

        // The evaluations read as in one run: one per epoch, none twice, the last one returned.
        List<Map<String, Object>> eval = lines(run, "eval");
        assertEquals(List.of(1, 2, 3), eval.stream().map(l -> l.get("epoch")).toList());
        assertEquals(second.evaluations.get(second.evaluations.size() - 1), result);
        List<Map<String, Object>> straightEval = lines(dir.resolve("straight"), "eval");
        for (int i = 0; i < 3; i++) {
            assertEquals(number(straightEval.get(i), "loss"), number(eval.get(i), "loss"), 0.0);
        }
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("lin: resuming at epoch"), printed.toString());
    }

    @Test
    void aCrashedTrainingResumesFromItsLastCheckpointWithoutLoggingAStepTwice() throws IOException {
        Trainer.Settings settings = new Trainer.Settings(2, 1, 1);
        Map<String, NDArray> expected = uninterrupted(3, settings);

        Path run = Files.createDirectory(dir.resolve("crashed"));
        LinearTask first = new LinearTask(3);
        first.beforeStep = s -> {
            if (s == 9) {
                throw new IllegalStateException("simulated crash");
            }
        };
        assertThrows(IllegalStateException.class, () -> trainer(run, settings).fit("lin", first, 3));
        // Lines of steps 7 (and the window of 6-7) were logged after the checkpoint of epoch 1 at step 5.
        assertTrue(lines(run, "train").stream().anyMatch(l -> ((Number) l.get("step")).intValue() == 7));

        LinearTask second = new LinearTask(3);
        trainer(run, settings).fit("lin", second, 3);
        assertEquals(10, second.stepsTaken);
        assertSameTensors(expected, SafeTensors.read(run.resolve("checkpoints/lin.safetensors")));
        List<Long> steps = lines(run, "train").stream().map(l -> ((Number) l.get("step")).longValue()).toList();
        assertEquals(List.of(2L, 4L, 5L, 7L, 9L, 10L, 12L, 14L, 15L), steps);
    }

    @Test
    void aTrainingStartedAfreshDropsTheLinesOfACrashedStartAndALineCutOffMidWrite() throws IOException {
        Path file = dir.resolve("metrics.jsonl");
        Files.writeString(file, "{\"time\":\"t\",\"run\":\"other\",\"phase\":\"eval\",\"epoch\":1,\"step\":50,\"a\":1}\n"
                + "{\"time\":\"t\",\"run\":\"lin\",\"phase\":\"train\",\"epoch\":1,\"step\":3,\"loss\":9}\n"
                + "{\"time\":\"t\",\"run\":\"li");
        trainer(dir, new Trainer.Settings(5, 1, 1)).fit("lin", new LinearTask(3), 1);
        List<Map<String, Object>> lines = MetricsLog.read(file);
        assertEquals(List.of("other", "lin", "lin"), lines.stream().map(l -> l.get("run")).toList());
        assertEquals(List.of(50, 5, 5), lines.stream().map(l -> ((Number) l.get("step")).intValue()).toList());
        assertEquals(List.of("eval", "train", "eval"), lines.stream().map(l -> l.get("phase")).toList());
    }

    @Test
    void aFinishedTrainingIsNotTrainedAgain() throws IOException {
        LinearTask first = new LinearTask(3);
        Map<String, Double> result = trainer(dir, Trainer.Settings.DEFAULT).fit("lin", first, 2);
        long linesBefore = MetricsLog.read(dir.resolve("metrics.jsonl")).size();

        LinearTask again = new LinearTask(3);
        Map<String, Double> recorded = trainer(dir, Trainer.Settings.DEFAULT).fit("lin", again, 2);
        assertEquals(0, again.stepsTaken);
        assertEquals(0, again.evaluations.size());
        assertEquals(result, recorded);
        assertEquals(linesBefore, MetricsLog.read(dir.resolve("metrics.jsonl")).size());
        // Its trained weights are loaded, for whatever the recipe does next with the model.
        assertArrayEquals(first.model().stateDict().get("2.weight").data().toDoubleArray(),
                again.model().stateDict().get("2.weight").data().toDoubleArray(), 0.0);
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("lin: finished before in this run"));
    }

    @Test
    void aNonFiniteLossIsLoggedAsNaN() throws IOException {
        MetricsLog metrics = new MetricsLog(dir.resolve("m.jsonl"));
        metrics.write("r", "train", 1, 3, Map.of("loss", Double.NaN));
        String text = Files.readString(dir.resolve("m.jsonl"));
        assertTrue(text.contains("\"loss\":NaN") && text.endsWith("}\n"), text);
        assertTrue(Double.isNaN(((Number) MetricsLog.read(dir.resolve("m.jsonl")).get(0).get("loss")).doubleValue()));
    }

    @Test
    void resumingWithOtherEpochsIsRefused() throws IOException {
        StopSignal stop = new StopSignal();
        stop.request();
        assertThrows(RunInterruptedException.class, () -> trainer(dir, Trainer.Settings.DEFAULT, stop)
                .fit("lin", new LinearTask(3), 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trainer(dir, Trainer.Settings.DEFAULT).fit("lin", new LinearTask(3), 4));
        assertTrue(e.getMessage().contains("belongs to a training of 3 epochs, but 4 were asked for"), e.getMessage());
    }

    @Test
    void imagesPerStepAreCountedInBatchesAndInPairsOfThem() {
        Batch four = new Batch(NDArray.zeros(DType.F32, 4, 1, 2, 2), NDArray.zeros(DType.I64, 4), new int[4]);
        Batch two = new Batch(NDArray.zeros(DType.F32, 2, 1, 2, 2), NDArray.zeros(DType.I64, 2), new int[2]);
        assertEquals(4, Trainer.images(four));
        assertEquals(6, Trainer.images(new Batch[] {four, two}));
        assertEquals(6, Trainer.images(List.of(four, two)));
        assertEquals(6, Trainer.images(new org.weft.recipes.data.BatchPair(four, two)), "a two-domain step");
        assertEquals(0, Trainer.images("something else"), "unknown: the bar shows steps/s");
    }

    @Test
    void badRunNamesAndCadencesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trainer(dir, Trainer.Settings.DEFAULT).fit("../up", new LinearTask(3), 1));
        assertTrue(e.getMessage().contains("got '../up'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Trainer.Settings(0, 1, 1));
        assertTrue(e.getMessage().contains("at least 1, got 0, 1 and 1"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("checkpoints")));
    }
}
