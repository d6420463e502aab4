package org.weft.recipes.cnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weft.tensor.NDArray;
import org.weft.tensor.io.SafeTensors;

/**
 * The training run on a tiny synthetic dataset in Fashion-MNIST's layout: a run stopped
 * after one epoch and resumed from its checkpoint ends with exactly the weights of a run
 * that never stopped, and training does learn a learnable task.
 */
class FashionCnnTrainingTest {

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

    private FashionCnnTraining.Config config(int epochs, Path checkpoint) {
        return new FashionCnnTraining.Config(dir, epochs, 32, 0.05, 0.9, 5e-4, 7, checkpoint, 0);
    }

    @Test
    void resumingAfterAnEpochEndsWhereAnUninterruptedRunEnds() throws IOException {
        writeDataset("train", 256, 1);
        writeDataset("t10k", 200, 2);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());

        Path straight = dir.resolve("straight.safetensors");
        FashionCnnTraining.Result whole = FashionCnnTraining.run(config(3, straight), quiet);

        Path stopped = dir.resolve("stopped.safetensors");
        FashionCnnTraining.Result first = FashionCnnTraining.run(config(3, stopped).withEpochLimit(1), quiet);
        assertEquals(0, first.resumedFromEpoch());
        FashionCnnTraining.Result resumed = FashionCnnTraining.run(config(3, stopped), quiet);
        assertEquals(1, resumed.resumedFromEpoch());

        Map<String, NDArray> a = SafeTensors.read(straight);
        Map<String, NDArray> b = SafeTensors.read(stopped);
        assertEquals(a.keySet(), b.keySet());
        for (String key : a.keySet()) {
            assertArrayEquals(a.get(key).toDoubleArray(), b.get(key).toDoubleArray(), 0.0, key);
        }
        assertEquals(whole.testAccuracy(), resumed.testAccuracy());
        assertTrue(whole.testAccuracy() > 0.5, "a learnable task was not learned: accuracy " + whole.testAccuracy());
    }
}
