package org.weft.recipes.mmd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weft.recipes.data.FashionMnist;
import org.weft.recipes.report.MetricPoint;
import org.weft.recipes.report.MetricsFile;
import org.weft.recipes.report.RunSeries;
import org.weft.recipes.train.Configs;
import org.weft.recipes.train.ProgressBar;
import org.weft.recipes.train.Run;
import org.weft.recipes.train.RunFolder;
import org.weft.recipes.train.RunInterruptedException;
import org.weft.recipes.train.StopSignal;
import org.weft.tensor.Device;
import org.weft.tensor.NDArray;
import org.weft.tensor.io.SafeTensors;

/**
 * The CI smoke version of mmd-transfer: the recipe through the real trainer stack ({@link Run}, {@link RunFolder},
 * {@link Configs}, the trainer and {@link StopSignal}) on the real Fashion-MNIST proxy, shrunk to seconds (resnet18,
 * 32×32, 384 source images, setting 6 on target A). It learns (the training loss falls; source and target
 * accuracies are well above chance), and a run stopped in the middle of the pretraining, resumed, stopped in the
 * middle of setting 6 and resumed again ends with exactly the weights and results of a run that never stopped.
 *
 * <p>The accuracy margins were measured over seeds 0, 1 and 2 ({@code -Dweft.smoke.seed=N} runs another seed).
 * Without Fashion-MNIST the test is skipped, except under {@code CI=true}, where it fails.
 */
class MmdTransferSmokeTest {

    private static final long SEED = Long.getLong("weft.smoke.seed", 0);

    /**
     * Margins above chance. Measured over seeds 0, 1, 2: source accuracy 0.620, 0.520, 0.585 and target accuracy
     * 0.310, 0.405, 0.435 (200 test images each), so the thresholds 0.3 and 0.2 leave 0.22 and 0.11 to spare, while
     * chance alone stays about 9 and 3 standard deviations below them.
     */
    private static final double SOURCE_MARGIN = 0.2;
    private static final double TARGET_MARGIN = 0.075;

    @TempDir
    Path dir;

    private final MmdTransferRecipe recipe = new MmdTransferRecipe();

    @BeforeAll
    static void needsFashionMnist() {
        if (!Files.isDirectory(FashionMnist.DEFAULT_DIR)) {
            if ("true".equals(System.getenv("CI"))) {
                fail("CI=true but Fashion-MNIST is not at " + FashionMnist.DEFAULT_DIR
                        + " (Debian package dataset-fashion-mnist)");
            }
            org.junit.jupiter.api.Assumptions.abort("Fashion-MNIST is not installed at " + FashionMnist.DEFAULT_DIR);
        }
    }

    private Configs config() {
        Configs c = Configs.defaults(recipe, false);
        String[][] settings = {{"seed", Long.toString(SEED)}, {"backbone", "resnet18"}, {"settings", "6"},
            {"targets", "A"}, {"source_train", "384"}, {"target_per_class", "16"}, {"source_test", "200"},
            {"target_test", "200"}, {"batch_size", "32"}, {"pretrain_epochs", "2"}, {"epochs", "2"},
            {"workers", "0"}, {"log_every", "4"}, {"eval_every", "2"}};
        for (String[] kv : settings) {
            c = c.with(kv[0], kv[1], "test");
        }
        return c;
    }

    private Run run(RunFolder folder, Configs config, PrintStream log, StopSignal stop) {
        return new Run(folder, config, false, Device.CPU, null, log, new ProgressBar(log, false, System::nanoTime), stop);
    }

    private RunFolder folder() throws IOException {
        RunFolder folder = RunFolder.create(dir, recipe.name(), LocalDateTime.of(2026, 1, 1, 0, 0));
        folder.writeConfig(recipe.name(), config(), false, "cpu", null);
        return folder;
    }

    @Test
    void itLearnsAndAStoppedRunResumesToTheSameWeightsAndResults() throws IOException {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        long start = System.nanoTime();
        RunFolder straight = folder();
        recipe.run(run(straight, config(), quiet, new StopSignal()));
        double straightSeconds = (System.nanoTime() - start) / 1e9;

        // (a) The loss falls: the mean of the last logged window is below the first's, in each training.
        Map<String, RunSeries> series = MetricsFile.read(straight.metricsFile()).runs();
        assertEquals(List.of(Trainings.PRETRAIN, "setting6-targetA"), List.copyOf(series.keySet()));
        for (RunSeries s : series.values()) {
            List<MetricPoint> train = s.train();
            double first = train.get(0).values().get("loss");
            double last = train.get(train.size() - 1).values().get("loss");
            assertTrue(last < first, s.name() + ": loss " + first + " -> " + last);
        }
        // (b) Above chance (1/10 source, 1/8 target) by margins measured over seeds 0-2.
        double source = series.get(Trainings.PRETRAIN).lastEval().values().get("accuracy_source");
        double target = series.get("setting6-targetA").lastEval().values().get("accuracy_target");
        System.out.printf("seed %d: source accuracy %.3f, target accuracy %.3f, straight run %.1f s%n", SEED, source,
                target, straightSeconds);
        assertTrue(source > 0.1 + SOURCE_MARGIN, "source accuracy " + source + " (chance 0.1)");
        assertTrue(target > 0.125 + TARGET_MARGIN, "target accuracy " + target + " (chance 0.125)");

        // (c) Stopped as Ctrl-C stops it, twice: in the middle of the pretraining's second epoch (its learning-rate
        // schedule under way), then, resumed, in the middle of setting 6's first epoch (two loaders in step); then
        // resumed to the end. Each part is a new Run on the reopened folder, with the recorded config.
        RunFolder stopped = folder();
        interrupt(stopped, config(), Trainings.PRETRAIN + " epoch 2/2  3/");
        assertTrue(Files.notExists(stopped.checkpointsDir().resolve("setting6-targetA.safetensors")));
        RunFolder reopened = RunFolder.open(stopped.dir());
        interrupt(reopened, Configs.recorded(recipe, reopened), "setting6-targetA epoch 1/2  2/");
        assertTrue(Files.notExists(stopped.dir().resolve("tables/table2.json")), "a stopped run wrote its tables");
        reopened = RunFolder.open(stopped.dir());
        recipe.run(run(reopened, Configs.recorded(recipe, reopened), quiet, new StopSignal()));

        for (String training : List.of(Trainings.PRETRAIN, "setting6-targetA")) {
            Map<String, NDArray> a = SafeTensors.read(straight.checkpointsDir().resolve(training + ".safetensors"));
            Map<String, NDArray> b = SafeTensors.read(reopened.checkpointsDir().resolve(training + ".safetensors"));
            assertEquals(a.keySet(), b.keySet(), training);
            for (String key : a.keySet()) {
                assertArrayEquals(a.get(key).toDoubleArray(), b.get(key).toDoubleArray(), 0.0, training + " " + key);
            }
        }
        for (String table : List.of("tables/table2.json", "tables/table3.json", "confusion/setting6-targetA.json")) {
            assertEquals(Files.readString(straight.dir().resolve(table)), Files.readString(reopened.dir().resolve(table)),
                    table);
        }
        assertEquals(series.get("setting6-targetA").lastEval().values(),
                MetricsFile.read(reopened.metricsFile()).runs().get("setting6-targetA").lastEval().values());
    }

    /** Runs the recipe in {@code folder} and stops it before the step after the progress line starting {@code at}. */
    private void interrupt(RunFolder folder, Configs config, String at) {
        StopSignal stop = new StopSignal();
        boolean[] seen = {false};
        PrintStream watching = new PrintStream(new ByteArrayOutputStream()) {
            @Override
            public void println(String line) {
                if (line.startsWith(at)) {
                    seen[0] = true;
                    stop.request();
                }
            }
        };
        assertThrows(RunInterruptedException.class, () -> recipe.run(run(folder, config, watching, stop)));
        assertTrue(seen[0], "no progress line started with '" + at + "'");
    }
}
