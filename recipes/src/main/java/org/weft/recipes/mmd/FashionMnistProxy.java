package org.weft.recipes.mmd;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.weft.recipes.data.FashionMnist;
import org.weft.recipes.data.Permutations;

/**
 * Paper 000's protocol rebuilt from the real Fashion-MNIST images, deterministic from a seed. The source task is
 * the 10 categories on original images (like DeepFashion). Two target tasks use other images, in a shifted domain
 * ({@link DomainShift}) and with few labels:
 * <ul>
 *   <li>target A, the same kind of labels (like ACWS): 8 categories, six of the source's kept and the three shoe
 *       categories merged into "Footwear";</li>
 *   <li>target B, another label space (like HipsterWars' styles): 5 classes that cut across the categories by a
 *       second criterion, the garment's tone (the mean of its pixels above 0.1 in the original image, dark when at
 *       most the median of its category over the training split): dark top, light top (T-shirt, Pullover, Coat,
 *       Shirt), trousers and dresses, dark accessory, light accessory (Sandal, Sneaker, Bag, Ankle boot). Each
 *       holds about a fifth of the images.</li>
 * </ul>
 * Images are drawn without overlap: from the training split, in an order fixed by the seed, first the source
 * training images, then target A's {@code targetPerClass} per class, then target B's; from the test split, in
 * another seeded order, the source test images, then target A's and target B's (shifted) test images.
 */
public final class FashionMnistProxy {

    /** Target A's classes; {@link #TARGET_A_OF} maps each Fashion-MNIST category to one. */
    public static final List<String> TARGET_A_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Shirt", "Footwear", "Bag");
    static final int[] TARGET_A_OF = {0, 1, 2, 3, 4, 6, 5, 6, 7, 6};

    /** Target B's classes. */
    public static final List<String> TARGET_B_CLASSES = List.of("dark top", "light top", "trousers & dresses",
            "dark accessory", "light accessory");
    /** The group of each category: 0 top, 1 trousers and dresses, 2 accessory. */
    static final int[] GROUP_OF = {0, 1, 0, 1, 0, 2, 0, 2, 2, 2};
    /** A pixel above this (in [0, 1]) belongs to the garment when its tone is measured. */
    static final float GARMENT = 0.1f;

    /** How many images each part takes. */
    public record Sizes(int sourceTrain, int targetPerClass, int sourceTest, int targetTest) {
        public Sizes {
            if (sourceTrain < 1 || targetPerClass < 1 || sourceTest < 1 || targetTest < 1) {
                throw new IllegalArgumentException("the proxy needs at least one image in every part, got " + this);
            }
        }
    }

    private final ProxySplit sourceTrain;
    private final ProxySplit sourceTest;
    private final ProxySplit targetATrain;
    private final ProxySplit targetATest;
    private final ProxySplit targetBTrain;
    private final ProxySplit targetBTest;

    private FashionMnistProxy(ProxySplit[] parts) {
        this.sourceTrain = parts[0];
        this.sourceTest = parts[1];
        this.targetATrain = parts[2];
        this.targetATest = parts[3];
        this.targetBTrain = parts[4];
        this.targetBTest = parts[5];
    }

    /** Reads Fashion-MNIST from {@code dir} and builds the protocol. */
    public static FashionMnistProxy load(Path dir, long seed, Sizes sizes) throws IOException {
        return build(FashionMnist.load(dir, FashionMnist.Split.TRAIN), FashionMnist.load(dir, FashionMnist.Split.TEST),
                seed, sizes);
    }

    /** The protocol over already loaded splits. */
    public static FashionMnistProxy build(FashionMnist train, FashionMnist test, long seed, Sizes sizes) {
        if (sizes.sourceTest() + 2L * sizes.targetTest() > test.size) {
            throw new IllegalArgumentException("the proxy's test images (" + sizes.sourceTest() + " source + 2 x "
                    + sizes.targetTest() + " target) must fit in the " + test.size + " of the test split");
        }
        if (sizes.sourceTrain() >= train.size) {
            throw new IllegalArgumentException("source_train " + sizes.sourceTrain() + " leaves no training image of the "
                    + train.size + " for the targets");
        }
        double[] medians = toneMedians(train);
        int[] order = permutation(train.size, DomainShift.mix(seed, -1));
        int[] source = Arrays.copyOf(order, sizes.sourceTrain());
        boolean[] taken = new boolean[train.size];
        for (int i : source) {
            taken[i] = true;
        }
        int[] aTrain = pickPerClass(train, order, taken, sizes.targetPerClass(), TARGET_A_CLASSES.size(),
                item -> TARGET_A_OF[train.label(item)], "target A");
        int[] bTrain = pickPerClass(train, order, taken, sizes.targetPerClass(), TARGET_B_CLASSES.size(),
                item -> styleOf(train, item, medians), "target B");

        int[] testOrder = permutation(test.size, DomainShift.mix(seed, -2));
        int[] sTest = Arrays.copyOfRange(testOrder, 0, sizes.sourceTest());
        int[] aTest = Arrays.copyOfRange(testOrder, sizes.sourceTest(), sizes.sourceTest() + sizes.targetTest());
        int[] bTest = Arrays.copyOfRange(testOrder, sizes.sourceTest() + sizes.targetTest(),
                sizes.sourceTest() + 2 * sizes.targetTest());

        List<String> categories = List.of(FashionMnist.CLASSES);
        FashionMnist.Split tr = FashionMnist.Split.TRAIN;
        FashionMnist.Split te = FashionMnist.Split.TEST;
        return new FashionMnistProxy(new ProxySplit[] {
            new ProxySplit("source train", train, tr, source, labels(source, train::label), categories, false, seed),
            new ProxySplit("source test", test, te, sTest, labels(sTest, test::label), categories, false, seed),
            new ProxySplit("target A train", train, tr, aTrain, labels(aTrain, i -> TARGET_A_OF[train.label(i)]),
                    TARGET_A_CLASSES, true, seed),
            new ProxySplit("target A test", test, te, aTest, labels(aTest, i -> TARGET_A_OF[test.label(i)]),
                    TARGET_A_CLASSES, true, seed),
            new ProxySplit("target B train", train, tr, bTrain, labels(bTrain, i -> styleOf(train, i, medians)),
                    TARGET_B_CLASSES, true, seed),
            new ProxySplit("target B test", test, te, bTest, labels(bTest, i -> styleOf(test, i, medians)),
                    TARGET_B_CLASSES, true, seed),
        });
    }

    public ProxySplit sourceTrain() {
        return sourceTrain;
    }

    public ProxySplit sourceTest() {
        return sourceTest;
    }

    /** Target {@code "A"} or {@code "B"}'s labelled training images. */
    public ProxySplit targetTrain(String target) {
        return switch (target) {
            case "A" -> targetATrain;
            case "B" -> targetBTrain;
            default -> throw new IllegalArgumentException("the proxy has targets A and B, got '" + target + "'");
        };
    }

    /** Target {@code "A"} or {@code "B"}'s test images. */
    public ProxySplit targetTest(String target) {
        return switch (target) {
            case "A" -> targetATest;
            case "B" -> targetBTest;
            default -> throw new IllegalArgumentException("the proxy has targets A and B, got '" + target + "'");
        };
    }

    /** Target B's class of item {@code item}: its category's group, split by tone for tops and accessories. */
    static int styleOf(FashionMnist data, int item, double[] medians) {
        int category = data.label(item);
        boolean dark = tone(ProxySplit.padded(data, item)) <= medians[category];
        return switch (GROUP_OF[category]) {
            case 0 -> dark ? 0 : 1;
            case 1 -> 2;
            default -> dark ? 3 : 4;
        };
    }

    /** The mean of the garment's pixels (those above {@link #GARMENT}); 0 for an empty image. */
    static double tone(float[] pixels) {
        double sum = 0;
        int count = 0;
        for (float p : pixels) {
            if (p > GARMENT) {
                sum += p;
                count++;
            }
        }
        return count == 0 ? 0 : sum / count;
    }

    /** The median tone of each category over all of {@code train}. */
    static double[] toneMedians(FashionMnist train) {
        double[][] tones = new double[FashionMnist.CLASSES.length][];
        int[] counts = new int[tones.length];
        for (int i = 0; i < train.size; i++) {
            counts[train.label(i)]++;
        }
        for (int c = 0; c < tones.length; c++) {
            tones[c] = new double[counts[c]];
            counts[c] = 0;
        }
        int chunk = 1000;
        int plane = train.height * train.width;
        for (int from = 0; from < train.size; from += chunk) {
            int n = Math.min(chunk, train.size - from);
            int[] items = new int[n];
            for (int i = 0; i < n; i++) {
                items[i] = from + i;
            }
            float[] pixels = train.batch(items, 0, 1)[0].toFloatArray();
            for (int i = 0; i < n; i++) {
                int c = train.label(from + i);
                tones[c][counts[c]++] = tone(Arrays.copyOfRange(pixels, i * plane, (i + 1) * plane));
            }
        }
        double[] medians = new double[tones.length];
        for (int c = 0; c < tones.length; c++) {
            double[] t = tones[c];
            Arrays.sort(t);
            medians[c] = t.length == 0 ? 0 : t.length % 2 == 1 ? t[t.length / 2] : (t[t.length / 2 - 1] + t[t.length / 2]) / 2;
        }
        return medians;
    }

    private static int[] pickPerClass(FashionMnist data, int[] order, boolean[] taken, int perClass, int classes,
                                      java.util.function.IntUnaryOperator classOf, String what) {
        int[] picked = new int[perClass * classes];
        int[] counts = new int[classes];
        int n = 0;
        for (int i = 0; i < order.length && n < picked.length; i++) {
            int item = order[i];
            if (taken[item]) {
                continue;
            }
            int c = classOf.applyAsInt(item);
            if (counts[c] < perClass) {
                counts[c]++;
                taken[item] = true;
                picked[n++] = item;
            }
        }
        if (n < picked.length) {
            throw new IllegalArgumentException(what + ": only " + n + " of the " + picked.length + " images ("
                    + perClass + " per class) are left in the " + data.size + " training images; lower source_train or"
                    + " target_per_class");
        }
        return picked;
    }

    private static int[] labels(int[] items, java.util.function.IntUnaryOperator labelOf) {
        int[] out = new int[items.length];
        for (int i = 0; i < items.length; i++) {
            out[i] = labelOf.applyAsInt(items[i]);
        }
        return out;
    }

    /** 0..n-1 shuffled from {@code seed}. */
    static int[] permutation(int n, long seed) {
        return Permutations.shuffled(n, new SplittableRandom(seed));
    }
}
