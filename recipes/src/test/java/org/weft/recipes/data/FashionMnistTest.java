package org.weft.recipes.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weft.tensor.NDArray;

/** The IDX reader and Fashion-MNIST loader on tiny files written in the dataset's exact layout. */
class FashionMnistTest {

    @TempDir
    Path dir;

    /** An IDX file: magic (type 0x08, rank), dims, then the bytes, optionally gzipped. */
    private static byte[] idx(int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x0800 | dims.length);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(data);
        return bytes.toByteArray();
    }

    private void write(String name, byte[] content, boolean gzip) throws IOException {
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(dir.resolve(name + ".gz")))
                : Files.newOutputStream(dir.resolve(name))) {
            out.write(content);
        }
    }

    /** Three 8x8 images whose pixel p of image i is (i*64 + p) mod 256, and labels 9, 0, 5. */
    private void writeSplit(String prefix, boolean gzip) throws IOException {
        byte[] pixels = new byte[3 * 64];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) i;
        }
        write(prefix + "-images-idx3-ubyte", idx(new int[] {3, 8, 8}, pixels), gzip);
        write(prefix + "-labels-idx1-ubyte", idx(new int[] {3}, new byte[] {9, 0, 5}), gzip);
    }

    @Test
    void readsGzippedAndPlainSplitsWithTheirLabelsAndScaling() throws IOException {
        writeSplit("train", true);
        writeSplit("t10k", false);
        for (FashionMnist.Split split : FashionMnist.Split.values()) {
            FashionMnist data = FashionMnist.load(dir, split);
            assertEquals(3, data.size);
            assertEquals(8, data.height);
            assertEquals(9, data.label(0));
            assertEquals(5, data.label(2));
            NDArray[] batch = data.batch(new int[] {2, 0}, 0.5, 0.25);
            assertArrayEquals(new int[] {2, 1, 8, 8}, batch[0].dims());
            assertArrayEquals(new long[] {5, 9}, batch[1].toLongArray());
            float[] x = batch[0].toFloatArray();
            // image 2, pixel 1 holds byte 129: (129/255 - 0.5) / 0.25
            assertEquals((129 / 255.0 - 0.5) / 0.25, x[1], 1e-6);
            assertEquals((0 / 255.0 - 0.5) / 0.25, x[64], 1e-6);
        }
    }

    @Test
    void asADatasetGivesOneChannelImagesInUnitRangeAndTheClassNames() throws IOException {
        writeSplit("train", true);
        Dataset data = FashionMnist.load(dir, FashionMnist.Split.TRAIN);
        assertEquals(3, data.size());
        assertEquals("Ankle boot", data.classes().get(9));
        assertEquals(10, data.classes().size());
        Sample sample = data.get(2);
        assertEquals(5, sample.label());
        assertEquals(1, sample.image().channels());
        assertEquals(8, sample.image().height());
        // image 2, row 0, column 1 holds byte 129
        assertEquals(129 / 255.0, sample.image().get(0, 0, 1), 1e-7);
        assertEquals(191 / 255.0, sample.image().get(0, 7, 7), 1e-7);
        assertThrows(IndexOutOfBoundsException.class, () -> data.get(3));
    }

    @Test
    void theDebianPackagesTestSplitHoldsAThousandImagesOfEachClass() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), "dataset-fashion-mnist is not installed");
        FashionMnist test = FashionMnist.load(FashionMnist.Split.TEST);
        assertEquals(10000, test.size());
        int[] perClass = new int[10];
        for (int i = 0; i < test.size(); i++) {
            perClass[test.label(i)]++;
        }
        assertArrayEquals(new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, perClass);
        Image first = test.get(0).image();
        assertEquals(28, first.height());
        assertEquals(28, first.width());
    }

    @Test
    void rejectsWrongMagicRankTruncationAndMismatchedCounts() throws IOException {
        write("train-images-idx3-ubyte", idx(new int[] {3, 8}, new byte[24]), false);
        write("train-labels-idx1-ubyte", idx(new int[] {3}, new byte[3]), false);
        IOException rank = assertThrows(IOException.class, () -> FashionMnist.load(dir, FashionMnist.Split.TRAIN));
        assertTrue(rank.getMessage().contains("expected an IDX file with 3 dimensions, got 2"), rank.getMessage());
        assertTrue(rank.getMessage().contains("train-images-idx3-ubyte"), rank.getMessage());

        write("train-images-idx3-ubyte", idx(new int[] {3, 8, 8}, new byte[100]), false);
        IOException truncated = assertThrows(IOException.class, () -> FashionMnist.load(dir, FashionMnist.Split.TRAIN));
        assertTrue(truncated.getMessage().contains("header promises 192 elements, file has 100"), truncated.getMessage());

        write("train-images-idx3-ubyte", idx(new int[] {2, 8, 8}, new byte[128]), false);
        IOException count = assertThrows(IOException.class, () -> FashionMnist.load(dir, FashionMnist.Split.TRAIN));
        assertTrue(count.getMessage().contains("holds 2 images but"), count.getMessage());

        byte[] floats = idx(new int[] {3}, new byte[3]);
        floats[2] = 0x0D;
        write("train-labels-idx1-ubyte", floats, false);
        write("train-images-idx3-ubyte", idx(new int[] {3, 8, 8}, new byte[192]), false);
        IOException magic = assertThrows(IOException.class, () -> FashionMnist.load(dir, FashionMnist.Split.TRAIN));
        assertTrue(magic.getMessage().contains("magic 0x00000d01, expected 0x00000801"), magic.getMessage());

        write("train-labels-idx1-ubyte", idx(new int[] {3}, new byte[] {1, 10, 2}), false);
        IOException label = assertThrows(IOException.class, () -> FashionMnist.load(dir, FashionMnist.Split.TRAIN));
        assertTrue(label.getMessage().contains("label 10 of item 1 is outside 0..9"), label.getMessage());
    }

    @Test
    void namesTheMissingFileAndThePackage() {
        IOException e = assertThrows(IOException.class, () -> FashionMnist.load(dir, FashionMnist.Split.TEST));
        assertTrue(e.getMessage().contains("t10k-images-idx3-ubyte[.gz] not found"), e.getMessage());
        assertTrue(e.getMessage().contains("dataset-fashion-mnist"), e.getMessage());
    }
}
