package org.weft.recipes.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import org.weft.tensor.NDArray;

/**
 * The Fashion-MNIST images and labels of one split, read from the four IDX files the
 * dataset ships ({train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]). Images stay as bytes
 * (47 MB for the training split); {@link #batch} converts the requested ones to F32, and as a {@link Dataset}
 * {@link #get} gives one 1-channel 28x28 image in [0, 1] with its label.
 */
public final class FashionMnist implements Dataset {

    /** Class names by label, as the dataset's documentation lists them. */
    public static final String[] CLASSES = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
        "Sneaker", "Bag", "Ankle boot"};

    /** Where the Debian package {@code dataset-fashion-mnist} puts the files. */
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    public enum Split {
        TRAIN("train"), TEST("t10k");

        final String prefix;

        Split(String prefix) {
            this.prefix = prefix;
        }
    }

    public final int size;
    public final int height;
    public final int width;
    private final byte[] pixels;
    private final byte[] labels;

    private FashionMnist(int size, int height, int width, byte[] pixels, byte[] labels) {
        this.size = size;
        this.height = height;
        this.width = width;
        this.pixels = pixels;
        this.labels = labels;
    }

    /** Reads one split from {@link #DEFAULT_DIR}, where the Debian package puts it. */
    public static FashionMnist load(Split split) throws IOException {
        return load(DEFAULT_DIR, split);
    }

    /** Reads one split from {@code dir}, accepting gzipped or plain files. */
    public static FashionMnist load(Path dir, Split split) throws IOException {
        Path images = find(dir, split.prefix + "-images-idx3-ubyte");
        Path labelFile = find(dir, split.prefix + "-labels-idx1-ubyte");
        Idx.Array img = Idx.read(images, 3);
        Idx.Array lab = Idx.read(labelFile, 1);
        if (img.dims()[0] != lab.dims()[0]) {
            throw new IOException(images + " holds " + img.dims()[0] + " images but " + labelFile + " holds "
                    + lab.dims()[0] + " labels");
        }
        for (int i = 0; i < lab.data().length; i++) {
            int label = lab.data()[i] & 0xff;
            if (label >= CLASSES.length) {
                throw new IOException(labelFile + ": label " + label + " of item " + i + " is outside 0.." + (CLASSES.length - 1));
            }
        }
        return new FashionMnist(img.dims()[0], img.dims()[1], img.dims()[2], img.data(), lab.data());
    }

    private static Path find(Path dir, String name) throws IOException {
        for (Path candidate : new Path[] {dir.resolve(name + ".gz"), dir.resolve(name)}) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IOException("Fashion-MNIST file " + name + "[.gz] not found in " + dir
                + " (on Debian: apt-get install dataset-fashion-mnist)");
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Sample get(int index) {
        Objects.checkIndex(index, size);
        int plane = height * width;
        float[] x = new float[plane];
        for (int p = 0; p < plane; p++) {
            x[p] = (pixels[index * plane + p] & 0xff) / 255f;
        }
        return Sample.of(new Image(1, height, width, x), label(index));
    }

    @Override
    public List<String> classes() {
        return List.of(CLASSES);
    }

    /** The label of item {@code i}. */
    public int label(int i) {
        return labels[i] & 0xff;
    }

    /**
     * Items {@code indices} as an F32 {@code [n, 1, H, W]} batch scaled to [0, 1] and then
     * standardised with {@code mean} and {@code std}, and their I64 labels.
     */
    public NDArray[] batch(int[] indices, double mean, double std) {
        int plane = height * width;
        float[] x = new float[indices.length * plane];
        long[] y = new long[indices.length];
        float scale = (float) (1 / (255 * std));
        float shift = (float) (mean / std);
        for (int b = 0; b < indices.length; b++) {
            int src = indices[b] * plane;
            for (int p = 0; p < plane; p++) {
                x[b * plane + p] = (pixels[src + p] & 0xff) * scale - shift;
            }
            y[b] = label(indices[b]);
        }
        return new NDArray[] {NDArray.of(x, indices.length, 1, height, width), NDArray.of(y, indices.length)};
    }
}
