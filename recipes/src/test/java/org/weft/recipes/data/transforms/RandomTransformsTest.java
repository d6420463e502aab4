package org.weft.recipes.data.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.weft.recipes.data.Batch;
import org.weft.recipes.data.DataLoader;
import org.weft.recipes.data.Dataset;
import org.weft.recipes.data.Image;
import org.weft.recipes.data.Sample;
import org.weft.recipes.data.Transform;

/**
 * The random transforms: the same generator state gives the same image, and the drawn parameters stay in their
 * documented ranges (frequencies within five standard deviations). Their deterministic cores are held against
 * torchvision by TransformsParityTest in the tests module.
 */
class RandomTransformsTest {

    /** A 3×H×W image whose pixel values are all distinct, so any move of a pixel shows. */
    private static Image ramp(int c, int h, int w) {
        float[] p = new float[c * h * w];
        for (int i = 0; i < p.length; i++) {
            p[i] = (i + 1f) / p.length;
        }
        return new Image(c, h, w, p);
    }

    private static void assertFrequency(double p, int hits, int n, String what) {
        double sd = Math.sqrt(p * (1 - p) / n);
        assertTrue(Math.abs((double) hits / n - p) <= 5 * sd, what + ": " + hits + " of " + n + ", expected p=" + p);
    }

    private static void assertSeededDeterminism(Transform t, Image in) {
        Image a = t.apply(in, new SplittableRandom(17));
        Image b = t.apply(in, new SplittableRandom(17));
        assertArrayEquals(a.pixels(), b.pixels(), "the same generator state gives the same image");
    }

    @Test
    void everyRandomTransformIsAFunctionOfItsGenerator() {
        Image in = ramp(3, 24, 20);
        for (Transform t : new Transform[] {new RandomCrop(16, 4), new RandomResizedCrop(12), new HorizontalFlip(0.5),
            new VerticalFlip(0.5), new RandomRotation(30), new RandomErasing(), new ColorJitter(0.4, 0.4, 0.4, 0.1),
            Transforms.compose(new RandomResizedCrop(8), new HorizontalFlip(0.5), new RandomErasing())}) {
            assertSeededDeterminism(t, in);
        }
        Set<String> distinct = new HashSet<>();
        for (int s = 0; s < 20; s++) {
            distinct.add(java.util.Arrays.toString(new RandomResizedCrop(8).apply(in, new SplittableRandom(s)).pixels()));
        }
        assertTrue(distinct.size() > 15, "different generators give different crops");
    }

    @Test
    void aFullPipelineInTheLoaderGivesTheSameBatchesForAnyWorkerCount() {
        Dataset data = new Dataset() {
            @Override
            public int size() {
                return 19;
            }

            @Override
            public Sample get(int index) {
                Image im = ramp(1, 20 + index % 3, 24);
                return Sample.of(im, index % 2);
            }

            @Override
            public List<String> classes() {
                return List.of("even", "odd");
            }
        };
        Transform pipeline = Transforms.compose(new RandomResizedCrop(16), new HorizontalFlip(0.5),
                new RandomRotation(15), new GreyToRgb(), new ColorJitter(0.3, 0.3, 0.3, 0.05),
                new Normalize(new double[] {0.5, 0.4, 0.3}, new double[] {0.2, 0.2, 0.2}), new RandomErasing());
        float[][] reference = null;
        for (int workers : new int[] {0, 1, 3}) {
            try (DataLoader loader = DataLoader.builder(data).transform(pipeline).batchSize(5).shuffle(true).seed(9)
                    .workers(workers).build()) {
                Iterator<Batch> it = loader.epoch(1, 0);
                float[][] images = new float[loader.batchesPerEpoch()][];
                for (int b = 0; it.hasNext(); b++) {
                    images[b] = it.next().images().toFloatArray();
                }
                if (reference == null) {
                    reference = images;
                    assertEquals(5 * 3 * 16 * 16, images[0].length);
                } else {
                    for (int b = 0; b < images.length; b++) {
                        assertArrayEquals(reference[b], images[b], workers + " workers, batch " + b);
                    }
                }
            }
        }
    }

    @Test
    void randomResizedCropWindowsStayInTheScaleAndRatioRanges() {
        RandomResizedCrop t = new RandomResizedCrop(8);
        SplittableRandom random = new SplittableRandom(3);
        int h = 120;
        int w = 160;
        double minFraction = 1;
        double maxFraction = 0;
        for (int i = 0; i < 5000; i++) {
            int[] box = t.window(h, w, random);
            assertTrue(box[0] >= 0 && box[1] >= 0 && box[0] + box[2] <= h && box[1] + box[3] <= w, "inside the image");
            double fraction = (double) box[2] * box[3] / (h * w);
            // Sides are rounded to whole pixels, and here every side is at least 33 pixels: allow 0.5/33 each.
            double r = 0.5 / 33;
            assertTrue(fraction >= 0.08 * (1 - r) * (1 - r) && fraction <= 1, "area fraction " + fraction);
            double ratio = (double) box[3] / box[2];
            assertTrue(ratio >= 0.75 * (1 - r) / (1 + r) && ratio <= 4.0 / 3 * (1 + r) / (1 - r), "aspect " + ratio);
            minFraction = Math.min(minFraction, fraction);
            maxFraction = Math.max(maxFraction, fraction);
        }
        assertTrue(minFraction < 0.1 && maxFraction > 0.9, "the range is covered: " + minFraction + " .. " + maxFraction);
        Image out = t.apply(ramp(1, 30, 40), random);
        assertArrayEquals(new int[] {1, 8, 8}, new int[] {out.channels(), out.height(), out.width()});
    }

    @Test
    void randomResizedCropFallsBackToTheCentreWhenNoWindowFits() {
        // A 1×100 strip: every drawn window is at least 2 pixels high, so all 10 tries fail, and the strip's ratio
        // (100) is clamped to 4/3: a 1×1 window (round(1.33) = 1) at the centre column (100 − 1) // 2 = 49.
        RandomResizedCrop t = new RandomResizedCrop(4);
        for (int s = 0; s < 20; s++) {
            assertArrayEquals(new int[] {0, 49, 1, 1}, t.window(1, 100, new SplittableRandom(s)));
            assertArrayEquals(new int[] {49, 0, 1, 1}, t.window(100, 1, new SplittableRandom(s)));
        }
        assertArrayEquals(new int[] {0, 0, 10, 12}, RandomResizedCrop.fallback(10, 12, 0.75, 4.0 / 3));
        assertArrayEquals(new int[] {0, 27, 10, 13}, RandomResizedCrop.fallback(10, 67, 0.75, 4.0 / 3));
    }

    @Test
    void randomCropVisitsEveryOffsetOfThePaddedImage() {
        Image in = ramp(1, 6, 6);
        RandomCrop t = new RandomCrop(6, 2);
        SplittableRandom random = new SplittableRandom(5);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            Image out = t.apply(in, random);
            assertEquals(6, out.height());
            // Locate the window by where pixel (0, 0) of the input landed.
            int at = -1;
            for (int p = 0; p < 36; p++) {
                if (out.pixels()[p] == in.pixels()[0]) {
                    at = p;
                }
            }
            seen.add(at < 0 ? "clipped" : (at / 6) + "," + (at % 6));
        }
        // Offsets 0..4 in each direction; pixel (0, 0) is visible (at 2 − offset) for offsets 0, 1, 2.
        assertEquals(10, seen.size(), seen.toString());
        assertThrows(IllegalArgumentException.class, () -> new RandomCrop(11, 2).apply(in, random));
    }

    @Test
    void flipsHappenWithProbabilityP() {
        Image in = ramp(2, 3, 4);
        Image flipped = HorizontalFlip.flip(in);
        assertArrayEquals(in.pixels(), HorizontalFlip.flip(flipped).pixels(), "flipping twice is the identity");
        assertEquals(in.get(1, 2, 3), flipped.get(1, 2, 0));
        assertEquals(in.get(1, 2, 0), VerticalFlip.flip(in).get(1, 0, 0));
        SplittableRandom random = new SplittableRandom(1);
        int n = 4000;
        int hits = 0;
        for (int i = 0; i < n; i++) {
            hits += new HorizontalFlip(0.3).apply(in, random) != in ? 1 : 0;
        }
        assertFrequency(0.3, hits, n, "flips");
        assertSame(in, new VerticalFlip(0).apply(in, random));
        assertArrayEquals(VerticalFlip.flip(in).pixels(), new VerticalFlip(1).apply(in, random).pixels());
    }

    @Test
    void rotationByAQuarterTurnMovesPixelsCounterClockwise() {
        Image in = ramp(1, 4, 4);
        Image out = RandomRotation.rotate(in, 90, 0f);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                // Counter-clockwise: the top row becomes the left column, read bottom to top.
                assertEquals(in.get(0, x, 3 - y), out.get(0, y, x), "(" + y + ", " + x + ")");
            }
        }
        assertArrayEquals(in.pixels(), RandomRotation.rotate(in, 0, 0f).pixels());
        assertArrayEquals(in.pixels(), new RandomRotation(0).apply(in, new SplittableRandom(2)).pixels());
        // 45 degrees about the centre leaves the corners without a source: they take the fill.
        Image diag = RandomRotation.rotate(ramp(1, 9, 9), 45, -1f);
        assertEquals(-1f, diag.get(0, 0, 0));
        assertEquals(ramp(1, 9, 9).get(0, 4, 4), diag.get(0, 4, 4), "the centre stays");
    }

    @Test
    void randomErasingErasesTwoToFortyPercentWithTheOriginalMeans() {
        int h = 64;
        int w = 48;
        Image in = new Image(3, h, w, new float[3 * h * w]);
        java.util.Arrays.fill(in.pixels(), -1f);
        RandomErasing t = new RandomErasing();
        SplittableRandom random = new SplittableRandom(8);
        int n = 4000;
        int erased = 0;
        double minFraction = 1;
        double maxFraction = 0;
        for (int i = 0; i < n; i++) {
            Image out = t.apply(in, random);
            int count = 0;
            for (int ch = 0; ch < 3; ch++) {
                for (int p = 0; p < h * w; p++) {
                    float v = out.pixels()[ch * h * w + p];
                    if (v != -1f) {
                        assertEquals(RandomErasing.ORIGINAL_MEAN[ch], v, "channel " + ch + " is filled with its mean");
                        count++;
                    }
                }
            }
            if (count > 0) {
                erased++;
                double fraction = count / 3.0 / (h * w);
                // The sides are rounded to whole pixels (each at least 5 here): allow 10 % each way.
                assertTrue(fraction >= 0.02 * 0.8 && fraction <= 0.4 * 1.2, "erased fraction " + fraction);
                minFraction = Math.min(minFraction, fraction);
                maxFraction = Math.max(maxFraction, fraction);
            }
        }
        assertFrequency(0.5, erased, n, "images erased");
        assertTrue(minFraction < 0.03 && maxFraction > 0.3, minFraction + " .. " + maxFraction);
        Image grey = RandomErasing.erase(ramp(1, 4, 4), 1, 1, 2, 2, RandomErasing.ORIGINAL_MEAN);
        assertEquals(0.4914f, grey.get(0, 2, 2), "a grey image takes the first fill value");
        assertThrows(IllegalArgumentException.class, () -> RandomErasing.erase(ramp(2, 4, 4), 0, 0, 1, 1,
                RandomErasing.ORIGINAL_MEAN));
    }

    @Test
    void colorJitterDrawsFactorsInTorchvisionsRanges() {
        Image in = new Image(1, 2, 2, new float[] {0.4f, 0.4f, 0.4f, 0.4f});
        ColorJitter t = new ColorJitter(0.5, 0, 0, 0);
        SplittableRandom random = new SplittableRandom(4);
        double lo = 1;
        double hi = 0;
        for (int i = 0; i < 2000; i++) {
            double v = t.apply(in, random).pixels()[0];
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        // brightness factor in [0.5, 1.5] on a flat 0.4 image: values in [0.2, 0.6].
        assertTrue(lo >= 0.2 - 1e-6 && lo < 0.21 && hi <= 0.6 + 1e-6 && hi > 0.59, lo + " .. " + hi);
        Image rgb = ramp(3, 5, 5);
        assertArrayEquals(rgb.pixels(), new ColorJitter(0, 0, 0, 0).apply(rgb, random).pixels(), "all off: unchanged");
        assertThrows(IllegalArgumentException.class, () -> new ColorJitter(0, 0, 0, 0.6));
        assertThrows(IllegalArgumentException.class, () -> new ColorJitter(-0.1, 0, 0, 0));
    }

    @Test
    void deterministicTransformsOnHandComputedValues() {
        Image rgb = new Image(3, 1, 2, new float[] {0.2f, 0.4f, 0.5f, 0.5f, 1f, 0f});
        Image n = new Normalize(new double[] {0.5, 0.5, 0.5}, new double[] {0.5, 0.25, 1})
                .apply(rgb, null);
        assertArrayEquals(new float[] {-0.6f, -0.2f, 0f, 0f, 0.5f, -0.5f}, n.pixels(), 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> new Normalize(new double[] {0.5}, new double[] {0}));
        assertThrows(IllegalArgumentException.class,
                () -> new Normalize(new double[] {0, 0}, new double[] {1, 1}).apply(rgb, null));
        Image grey = new Image(1, 1, 2, new float[] {0.1f, 0.9f});
        Image three = new GreyToRgb().apply(grey, null);
        assertArrayEquals(new float[] {0.1f, 0.9f, 0.1f, 0.9f, 0.1f, 0.9f}, three.pixels());
        assertSame(rgb, new GreyToRgb().apply(rgb, null));
        assertThrows(IllegalArgumentException.class, () -> new GreyToRgb().apply(Image.zeros(2, 1, 1), null));
        // Shorter side to 4: 13x17 -> 4 x int(4 * 17 / 13) = 4x5; 20x9 -> int(4 * 20 / 9) x 4 = 8x4.
        assertArrayEquals(new int[] {4, 5}, Resize.shorterSideSize(13, 17, 4));
        assertArrayEquals(new int[] {8, 4}, Resize.shorterSideSize(20, 9, 4));
        // Doubling a 1x2 row bilinearly (align_corners=False): 0.75·a + 0.25·b at the inner samples.
        Image up = Resize.resize(new Image(1, 1, 2, new float[] {0f, 1f}), 1, 4);
        assertArrayEquals(new float[] {0f, 0.25f, 0.75f, 1f}, up.pixels(), 1e-7f);
        Transform order = Transforms.compose(new CenterCrop(1, 1), new GreyToRgb());
        assertEquals(3, order.apply(ramp(1, 3, 3), null).channels(), "compose applies in order");
        assertEquals(5f / 9, order.apply(ramp(1, 3, 3), null).get(2, 0, 0), 1e-7f, "the centre pixel, in every channel");
    }
}
