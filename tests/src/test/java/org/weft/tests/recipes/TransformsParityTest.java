package org.weft.tests.recipes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.weft.recipes.data.Image;
import org.weft.recipes.data.transforms.CenterCrop;
import org.weft.recipes.data.transforms.ColorAdjust;
import org.weft.recipes.data.transforms.ColorJitter;
import org.weft.recipes.data.transforms.Crop;
import org.weft.recipes.data.transforms.HorizontalFlip;
import org.weft.recipes.data.transforms.Normalize;
import org.weft.recipes.data.transforms.RandomCrop;
import org.weft.recipes.data.transforms.RandomErasing;
import org.weft.recipes.data.transforms.RandomResizedCrop;
import org.weft.recipes.data.transforms.RandomRotation;
import org.weft.recipes.data.transforms.Resize;
import org.weft.recipes.data.transforms.VerticalFlip;
import org.weft.tensor.NDArray;
import org.weft.tests.Fixtures;

/**
 * The image transforms against torchvision 0.14's functional transforms on float tensors
 * (tests/goldens/fixtures/transforms.py): every deterministic transform, and the deterministic core of every
 * random one with the parameters it would have drawn. Transforms that only move pixels (crops, flips,
 * nearest-neighbour rotation, erasing) must match exactly; those that compute new values (bilinear resize, colour
 * adjustments, normalisation) within 2e-6 of values in [0, 1], a few float32 roundings.
 */
class TransformsParityTest {

    private static final String FIXTURE = "transforms";
    private static final double ARITHMETIC_TOL = 2e-6;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> transformsMatchTorchvision() throws IOException {
        JsonNode cases = JSON.readTree(Fixtures.dir(FIXTURE).resolve("cases.json").toFile());
        Map<String, NDArray> golden = Fixtures.load(FIXTURE, "transforms.safetensors");
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : cases) {
            String name = c.get("name").asText();
            tests.add(DynamicTest.dynamicTest(name, () -> check(c, golden)));
        }
        return tests.stream();
    }

    private static void check(JsonNode c, Map<String, NDArray> golden) {
        String op = c.get("op").asText();
        JsonNode a = c.get("args");
        Image in = image(golden.get("in." + c.get("input").asText()));
        NDArray expected = golden.get("out." + c.get("name").asText());
        boolean exact = true;
        Image out = switch (op) {
            case "resize" -> {
                exact = false;
                yield Resize.resize(in, a.get("h").asInt(), a.get("w").asInt());
            }
            case "resize_shorter" -> {
                exact = false;
                yield new Resize(a.get("size").asInt()).apply(in, null);
            }
            case "center_crop" -> new CenterCrop(a.get("h").asInt(), a.get("w").asInt()).apply(in, null);
            case "crop" -> Crop.crop(in, a.get("top").asInt(), a.get("left").asInt(), a.get("h").asInt(),
                    a.get("w").asInt());
            case "random_crop" -> RandomCrop.crop(in, a.get("padding").asInt(), a.get("top").asInt(),
                    a.get("left").asInt(), a.get("h").asInt(), a.get("w").asInt());
            case "resized_crop" -> {
                exact = false;
                yield RandomResizedCrop.resizedCrop(in, a.get("top").asInt(), a.get("left").asInt(),
                        a.get("h").asInt(), a.get("w").asInt(), a.get("oh").asInt(), a.get("ow").asInt());
            }
            case "hflip" -> HorizontalFlip.flip(in);
            case "vflip" -> VerticalFlip.flip(in);
            case "rotate" -> RandomRotation.rotate(in, a.get("angle").asDouble(), (float) a.get("fill").asDouble());
            case "erase" -> RandomErasing.erase(in, a.get("top").asInt(), a.get("left").asInt(), a.get("h").asInt(),
                    a.get("w").asInt(), floats(a.get("value")));
            case "normalize" -> {
                exact = false;
                yield new Normalize(doubles(a.get("mean")), doubles(a.get("std"))).apply(in, null);
            }
            case "brightness" -> {
                exact = false;
                yield ColorAdjust.brightness(in, a.get("factor").asDouble());
            }
            case "contrast" -> {
                exact = false;
                yield ColorAdjust.contrast(in, a.get("factor").asDouble());
            }
            case "saturation" -> {
                exact = false;
                yield ColorAdjust.saturation(in, a.get("factor").asDouble());
            }
            case "hue" -> {
                exact = false;
                yield ColorAdjust.hue(in, a.get("factor").asDouble());
            }
            case "jitter" -> {
                exact = false;
                int[] order = new int[4];
                for (int i = 0; i < 4; i++) {
                    order[i] = a.get("order").get(i).asInt();
                }
                yield ColorJitter.jitter(in, order, a.get("brightness").asDouble(), a.get("contrast").asDouble(),
                        a.get("saturation").asDouble(), a.get("hue").asDouble());
            }
            default -> throw new IllegalArgumentException("no Java side for transform case op " + op);
        };
        assertArrayEquals(expected.shape().dims(), new int[] {out.channels(), out.height(), out.width()},
                "output size [C, H, W]");
        float[] want = expected.toFloatArray();
        float[] got = out.pixels();
        double worst = 0;
        int at = -1;
        for (int i = 0; i < want.length; i++) {
            double d = Math.abs((double) want[i] - got[i]);
            if (!(d <= worst)) {
                worst = d;
                at = i;
            }
        }
        double tol = exact ? 0 : ARITHMETIC_TOL;
        int where = at;
        double max = worst;
        assertTrue(max <= tol, () -> op + ": max |difference| " + max + " > " + tol + " at flat index " + where
                + " (torchvision " + want[where] + ", Weft " + got[where] + ")");
    }

    private static Image image(NDArray chw) {
        int[] d = chw.shape().dims();
        return new Image(d[0], d[1], d[2], chw.toFloatArray());
    }

    private static float[] floats(JsonNode array) {
        float[] v = new float[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) array.get(i).asDouble();
        }
        return v;
    }

    private static double[] doubles(JsonNode array) {
        double[] v = new double[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.get(i).asDouble();
        }
        return v;
    }
}
