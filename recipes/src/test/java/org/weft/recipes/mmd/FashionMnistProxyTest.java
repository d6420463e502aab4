package org.weft.recipes.mmd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.weft.recipes.data.FashionMnist;

/** The Fashion-MNIST proxy of paper 000: what it picks, that it repeats itself, and what its domain shift does. */
class FashionMnistProxyTest {

    static FashionMnist train;
    static FashionMnist test;
    static final FashionMnistProxy.Sizes SIZES = new FashionMnistProxy.Sizes(3000, 20, 500, 600);

    @BeforeAll
    static void load() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), "Fashion-MNIST is not installed");
        train = FashionMnist.load(FashionMnist.DEFAULT_DIR, FashionMnist.Split.TRAIN);
        test = FashionMnist.load(FashionMnist.DEFAULT_DIR, FashionMnist.Split.TEST);
    }

    private static List<ProxySplit> parts(FashionMnistProxy p) {
        return List.of(p.sourceTrain(), p.sourceTest(), p.targetTrain("A"), p.targetTest("A"), p.targetTrain("B"),
                p.targetTest("B"));
    }

    @Test
    void theSameSeedGivesTheSameImagesLabelsAndPixels() {
        FashionMnistProxy a = FashionMnistProxy.build(train, test, 7, SIZES);
        FashionMnistProxy b = FashionMnistProxy.build(train, test, 7, SIZES);
        FashionMnistProxy other = FashionMnistProxy.build(train, test, 8, SIZES);
        for (int k = 0; k < 6; k++) {
            ProxySplit x = parts(a).get(k);
            ProxySplit y = parts(b).get(k);
            assertArrayEquals(x.indices(), y.indices(), x.name());
            for (int i = 0; i < x.size(); i += 97) {
                assertEquals(x.get(i).label(), y.get(i).label());
                assertArrayEquals(x.get(i).image().pixels(), y.get(i).image().pixels(), x.name() + " image " + i);
            }
            assertFalse(java.util.Arrays.equals(x.indices(), parts(other).get(k).indices()),
                    x.name() + " is the same under another seed");
        }
    }

    @Test
    void noImageIsInTwoParts() {
        FashionMnistProxy p = FashionMnistProxy.build(train, test, 3, SIZES);
        Set<String> seen = new HashSet<>();
        int total = 0;
        for (ProxySplit part : parts(p)) {
            for (int item : part.indices()) {
                seen.add(part.split() + ":" + item);
                total++;
            }
        }
        assertEquals(total, seen.size(), "an image is shared between parts");
        assertEquals(FashionMnist.Split.TRAIN, p.targetTrain("A").split());
        assertEquals(FashionMnist.Split.TEST, p.targetTest("A").split());
        assertEquals(SIZES.sourceTrain(), p.sourceTrain().size());
        assertEquals(SIZES.sourceTest(), p.sourceTest().size());
        assertEquals(SIZES.targetTest(), p.targetTest("B").size());
    }

    @Test
    void targetsHaveFewLabelsPerClassAndTheirOwnLabelSpaces() {
        FashionMnistProxy p = FashionMnistProxy.build(train, test, 3, SIZES);
        assertEquals(10, p.sourceTrain().classes().size());
        assertEquals(8, p.targetTrain("A").classes().size());
        assertEquals(5, p.targetTrain("B").classes().size());
        for (String target : List.of("A", "B")) {
            ProxySplit part = p.targetTrain(target);
            int[] counts = new int[part.classes().size()];
            for (int i = 0; i < part.size(); i++) {
                counts[part.get(i).label()]++;
            }
            for (int c : counts) {
                assertEquals(SIZES.targetPerClass(), c, "target " + target + " per class");
            }
        }
        // Target A: a category keeps its class, the three shoe categories share "Footwear".
        ProxySplit a = p.targetTest("A");
        int[] items = a.indices();
        for (int i = 0; i < a.size(); i++) {
            String category = FashionMnist.CLASSES[test.label(items[i])];
            String label = a.classes().get(a.get(i).label());
            boolean shoe = List.of("Sandal", "Sneaker", "Ankle boot").contains(category);
            assertEquals(shoe ? "Footwear" : category, label);
        }
    }

    @Test
    void targetBCutsAcrossCategoriesByTone() {
        FashionMnistProxy p = FashionMnistProxy.build(train, test, 3, SIZES);
        ProxySplit b = p.targetTest("B");
        int[] items = b.indices();
        int[] counts = new int[5];
        Set<Integer>[] categories = new Set[5];
        double[][] toneSum = new double[10][2];
        int[][] toneCount = new int[10][2];
        for (int c = 0; c < 5; c++) {
            categories[c] = new HashSet<>();
        }
        for (int i = 0; i < b.size(); i++) {
            int style = b.get(i).label();
            int category = test.label(items[i]);
            counts[style]++;
            categories[style].add(category);
            if (style != 2) {
                // Tone measured here independently: the mean of the original pixels above 0.1.
                float[] px = test.batch(new int[] {items[i]}, 0, 1)[0].toFloatArray();
                double sum = 0;
                int n = 0;
                for (float v : px) {
                    if (v > 0.1f) {
                        sum += v;
                        n++;
                    }
                }
                boolean dark = style == 0 || style == 3;
                toneSum[category][dark ? 0 : 1] += sum / n;
                toneCount[category][dark ? 0 : 1]++;
            }
        }
        for (int c = 0; c < 5; c++) {
            double share = counts[c] / (double) b.size();
            assertTrue(share > 0.12 && share < 0.28, "class " + b.classes().get(c) + " holds " + share);
        }
        assertEquals(Set.of(0, 2, 4, 6), categories[0]);
        assertEquals(Set.of(0, 2, 4, 6), categories[1]);
        assertEquals(Set.of(1, 3), categories[2]);
        assertEquals(Set.of(5, 7, 8, 9), categories[4]);
        // Within a category the "dark" images are darker than the "light" ones on average.
        for (int category : new int[] {0, 2, 4, 6, 5, 7, 8, 9}) {
            double darkMean = toneSum[category][0] / toneCount[category][0];
            double lightMean = toneSum[category][1] / toneCount[category][1];
            assertTrue(darkMean < lightMean, FashionMnist.CLASSES[category] + ": dark " + darkMean + ", light " + lightMean);
        }
    }

    @Test
    void theDomainShiftInvertsBrightensAndTexturesTheImages() {
        FashionMnistProxy p = FashionMnistProxy.build(train, test, 5, SIZES);
        ProxySplit source = p.sourceTest();
        ProxySplit target = p.targetTest("A");
        assertFalse(source.shifted());
        assertTrue(target.shifted());
        double sourceMean = 0;
        double targetMean = 0;
        double correlation = 0;
        double targetBorderSpread = 0;
        int n = 200;
        for (int i = 0; i < n; i++) {
            float[] s = source.get(i).image().pixels();
            float[] t = target.get(i).image().pixels();
            // The same item unshifted, to compare pixel by pixel.
            float[] original = ProxySplit.padded(test, target.indices()[i]);
            sourceMean += mean(s) / n;
            targetMean += mean(t) / n;
            correlation += pearson(original, t) / n;
            float[] border = new float[2 * 32];
            System.arraycopy(t, 0, border, 0, 32);
            System.arraycopy(t, 31 * 32, border, 32, 32);
            targetBorderSpread += Math.sqrt(variance(border)) / n;
            for (int x = 0; x < 32; x++) {
                assertEquals(0f, s[x], "the source ground is black");
            }
            for (float v : t) {
                assertTrue(v >= 0 && v <= 1);
            }
        }
        assertTrue(sourceMean > 0.2 && sourceMean < 0.3, "source mean " + sourceMean);
        assertTrue(targetMean > sourceMean + 0.2, "target mean " + targetMean + " vs source " + sourceMean);
        assertTrue(correlation < -0.9, "pixel correlation with the original " + correlation);
        assertTrue(targetBorderSpread > 0.04, "spread of the target ground " + targetBorderSpread);
    }

    private static double mean(float[] x) {
        double s = 0;
        for (float v : x) {
            s += v;
        }
        return s / x.length;
    }

    private static double variance(float[] x) {
        double m = mean(x);
        double s = 0;
        for (float v : x) {
            s += (v - m) * (v - m);
        }
        return s / x.length;
    }

    private static double pearson(float[] x, float[] y) {
        double mx = mean(x);
        double my = mean(y);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }
}
