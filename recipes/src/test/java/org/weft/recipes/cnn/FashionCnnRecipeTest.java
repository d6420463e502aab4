package org.weft.recipes.cnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
 * The fashion-cnn recipe on a tiny synthetic dataset in Fashion-MNIST's layout: a run stopped
 * in the middle of an epoch and resumed from its folder ends with exactly the weights and results
 * of a run that never stopped, and training does learn a learnable task.
 */
class FashionCnnRecipeTest {

    @TempDir
    Path dir;

    /** Images whose class is written as a bright row at height 2 + 2·label: learnable, and noisy. */
    private void writeDataset(String prefix, int n, long seed) throws IOException {
        Random random = new Random(seed);
        byte[] pixels = new byte[n * 28 * 28];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int label = random.nextInt(10);
            labels[i] = (byte) label;
            for (int p = 0; p < 28 * 28; p++) {
                pixels[i * 784 + p] = (byte) random.nextInt(60);
            }
            for (int x = 0; x < 28; x++) {
                pixels[i * 784 + (2 + 2 * label) * 28 + x] = (byte) 250;
            }
        }
        write(dir.resolve(prefix + "-images-idx3-ubyte"), new int[] {n, 28, 28}, pixels);
        write(dir.resolve(prefix + "-labels-idx1-ubyte"), new int[] {n}, labels);
    }

    private static void write(Path path, int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x0800 | dims.length);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(data);
        Files.write(path, bytes.toByteArray());
    }

    private final FashionCnnRecipe recipe = new FashionCnnRecipe();

    private Configs config() {
        return Configs.defaults(recipe, false).with("epochs", "3", "test").with("batch_size", "32", "test")
                .with("seed", "7", "test");
    }

    private Run run(RunFolder folder, Configs config, PrintStream log, StopSignal stop) {
        return new Run(folder, config, false, Device.CPU, dir, log, new ProgressBar(log, false, System::nanoTime), stop);
    }

    @Test
    void aRunStoppedMidEpochAndResumedEndsWhereAnUninterruptedRunEnds() throws IOException {
        writeDataset("train", 256, 1);
        writeDataset("t10k", 200, 2);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());

        RunFolder straight = RunFolder.create(dir.resolve("runs"), "fashion-cnn", LocalDateTime.of(2026, 1, 1, 0, 0));
        recipe.run(run(straight, config(), quiet, new StopSignal()));

        // Stopped as Ctrl-C would stop it, after step 3 of epoch 2 (the plain progress line of each step says where).
        RunFolder stopped = RunFolder.create(dir.resolve("runs"), "fashion-cnn", LocalDateTime.of(2026, 1, 1, 0, 0));
        assertEquals("fashion-cnn-20260101-000000-2", stopped.dir().getFileName().toString());
        stopped.writeConfig(recipe.name(), config(), false, "cpu", dir);
        StopSignal stop = new StopSignal();
        PrintStream watching = new PrintStream(new ByteArrayOutputStream()) {
            @Override
            public void println(String line) {
                if (line.startsWith("fashion-cnn epoch 2/3  3/8")) {
                    stop.request();
                }
            }
        };
        assertThrows(RunInterruptedException.class, () -> recipe.run(run(stopped, config(), watching, stop)));

        RunFolder reopened = RunFolder.open(stopped.dir());
        recipe.run(run(reopened, Configs.recorded(recipe, reopened), quiet, new StopSignal()));

        Map<String, NDArray> a = SafeTensors.read(straight.dir().resolve("checkpoints/fashion-cnn.safetensors"));
        Map<String, NDArray> b = SafeTensors.read(stopped.dir().resolve("checkpoints/fashion-cnn.safetensors"));
        assertEquals(a.keySet(), b.keySet());
        for (String key : a.keySet()) {
            assertArrayEquals(a.get(key).toDoubleArray(), b.get(key).toDoubleArray(), 0.0, key);
        }
        String table = Files.readString(straight.dir().resolve("tables/results.json"));
        assertEquals(table, Files.readString(stopped.dir().resolve("tables/results.json")));
        // rows: [["test accuracy", "0.xxxx"], ["test loss", ...]]
        double accuracy = Double.parseDouble(new ObjectMapper().readTree(table).get("rows").get(0).get(1).asText());
        assertTrue(accuracy > 0.5, "a learnable task was not learned: accuracy " + accuracy);
        assertTrue(Files.exists(stopped.dir().resolve("confusion/test.json")));
        assertTrue(Files.exists(stopped.dir().resolve("notes.md")));
    }
}
