package org.weft.recipes.mmd;

import java.util.List;

import org.weft.recipes.data.Dataset;
import org.weft.recipes.data.FashionMnist;
import org.weft.recipes.data.Image;
import org.weft.recipes.data.Sample;

/**
 * One part of the Fashion-MNIST proxy: chosen images of one Fashion-MNIST split with the labels of one task,
 * padded from 28×28 to 32×32 with background and, in the target domain, passed through {@link DomainShift}.
 * Images are decoded on demand from the shared bytes, so {@code get} is safe from several threads.
 */
public final class ProxySplit implements Dataset {

    /** The side of the padded images, the smallest at which ResNet's five halvings leave a 1×1 map. */
    public static final int SIZE = 32;

    private final String name;
    private final FashionMnist images;
    private final FashionMnist.Split split;
    private final int[] indices;
    private final int[] labels;
    private final List<String> classes;
    private final boolean shifted;
    private final long seed;

    ProxySplit(String name, FashionMnist images, FashionMnist.Split split, int[] indices, int[] labels,
               List<String> classes, boolean shifted, long seed) {
        this.name = name;
        this.images = images;
        this.split = split;
        this.indices = indices;
        this.labels = labels;
        this.classes = List.copyOf(classes);
        this.shifted = shifted;
        this.seed = seed;
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public Sample get(int index) {
        int item = indices[index];
        float[] pixels = padded(images, item);
        if (shifted) {
            pixels = DomainShift.apply(pixels, SIZE, SIZE, seed, item);
        }
        return Sample.of(new Image(1, SIZE, SIZE, pixels), labels[index]);
    }

    @Override
    public List<String> classes() {
        return classes;
    }

    /** What this part is, e.g. "target A train". */
    public String name() {
        return name;
    }

    /** The Fashion-MNIST split the images come from. */
    public FashionMnist.Split split() {
        return split;
    }

    /** The Fashion-MNIST item index of each example, in order. */
    public int[] indices() {
        return indices.clone();
    }

    /** Whether the images are in the shifted (target) domain. */
    public boolean shifted() {
        return shifted;
    }

    /** Item {@code item} of {@code data} in [0, 1], centred on a black {@link #SIZE}² ground. */
    static float[] padded(FashionMnist data, int item) {
        float[] raw = data.batch(new int[] {item}, 0, 1)[0].toFloatArray();
        float[] out = new float[SIZE * SIZE];
        int top = (SIZE - data.height) / 2;
        int left = (SIZE - data.width) / 2;
        for (int y = 0; y < data.height; y++) {
            System.arraycopy(raw, y * data.width, out, (y + top) * SIZE + left, data.width);
        }
        return out;
    }
}
