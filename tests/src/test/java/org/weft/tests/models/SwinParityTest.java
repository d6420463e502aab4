package org.weft.tests.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.weft.autograd.Tensor;
import org.weft.nn.Linear;
import org.weft.nn.models.Features;
import org.weft.nn.models.SwinCheckpoints;
import org.weft.nn.models.SwinTransformer;
import org.weft.tensor.NDArray;
import org.weft.tensor.io.SafeTensors;
import org.weft.tests.Fixtures;

/**
 * Swin v1 against torchvision on the same weights and inputs (fixture tests/goldens/fixtures/swin.py):
 * logits within 2e-4 and the input gradient and every parameter gradient within 1e-3, each
 * as the relative error of the norm, for Swin-T at 224, Swin-T at a size that pads every
 * stage, and Swin-L; and timm / official checkpoint names converted and loaded strictly.
 */
class SwinParityTest {

    private static final String FIXTURE = "swin";
    private static final double OUTPUT_TOL = 2e-4;
    private static final double GRAD_TOL = 1e-3;
    private static final int NUM_CLASSES = 1000;

    @Test
    void swinTAt224MatchesTorchvisionOutputsStagesAndGradients() throws IOException {
        SwinTransformer model = swinT();
        load(model, "swin_t.safetensors");
        parity(model, "t224", true);
    }

    @Test
    void swinTPadsMapsThatAreNotWholeWindowsAsTorchvision() throws IOException {
        SwinTransformer model = swinT();
        load(model, "swin_t.safetensors");
        parity(model, "t_pad", false);
    }

    @Test
    void windowTwelveAt384MatchesTorchvision() throws IOException {
        SwinTransformer model = new SwinTransformer(SwinTransformer.Config.swinT(NUM_CLASSES, 12).withoutRegularisation());
        load(model, "swin_t_w12.safetensors");
        parity(model, "t_w12_384", false);
    }

    @Test
    void swinLAtBatchOneMatchesTorchvision() throws IOException {
        SwinTransformer model = new SwinTransformer(SwinTransformer.Config.swinL(NUM_CLASSES, 7).withoutRegularisation());
        load(model, "swin_l.safetensors");
        parity(model, "l224", false);
    }

    @Test
    void stateDictHasTorchvisionsKeysInTorchvisionsOrder() throws IOException {
        Map<String, Tensor> own = swinT().stateDict();
        try (SafeTensors.Reader r = SafeTensors.open(Fixtures.dir(FIXTURE).resolve("swin_t.safetensors"))) {
            assertEquals(new ArrayList<>(r.names()), new ArrayList<>(own.keySet()));
            for (String name : r.names()) {
                assertEquals(r.entry(name).shape(), own.get(name).shape(), name);
                assertEquals(r.entry(name).dtype(), own.get(name).dtype(), name);
            }
        }
    }

    @Test
    void timmNamesConvertLoadStrictlyAndGiveTheSameLogits() {
        convertedLogitsMatch("swin_t_timm.safetensors");
    }

    @Test
    void officialSwinNamesConvertLoadStrictlyAndGiveTheSameLogits() {
        convertedLogitsMatch("swin_t_official.safetensors");
    }

    @Test
    void aReplacedHeadIsTheOneThatRuns() {
        SwinTransformer model = swinT();
        model.replace("head", new Linear(768, 5));
        Tensor logits = model.call(Tensor.randn(1, 3, 64, 64));
        assertEquals(List.of(1, 5), List.of(logits.size(0), logits.size(1)));
    }

    private static void convertedLogitsMatch(String file) {
        Map<String, Tensor> converted = SwinCheckpoints.fromTimm(tensors(Fixtures.load(FIXTURE, file)));
        SwinTransformer model = swinT();
        model.loadStateDict(converted, true);
        Map<String, NDArray> io = Fixtures.load(FIXTURE, "t224_io.safetensors");
        Tensor logits = model.call(Tensor.of(io.get("input")));
        assertClose("logits of " + file, io.get("logits"), logits.data(), OUTPUT_TOL);
    }

    private static SwinTransformer swinT() {
        return new SwinTransformer(SwinTransformer.Config.swinT(NUM_CLASSES, 7).withoutRegularisation());
    }

    private static void load(SwinTransformer model, String file) {
        model.loadStateDict(tensors(Fixtures.load(FIXTURE, file)), true);
    }

    private static Map<String, Tensor> tensors(Map<String, NDArray> arrays) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        arrays.forEach((k, v) -> out.put(k, Tensor.of(v)));
        return out;
    }

    /** Forward and backward of {@code model} on case {@code name}, every result held against torchvision's. */
    private static void parity(SwinTransformer model, String name, boolean stages) throws IOException {
        Map<String, NDArray> io = Fixtures.load(FIXTURE, name + "_io.safetensors");
        Tensor input = Tensor.of(io.get("input")).requiresGrad_(true);
        long start = System.nanoTime();
        Tensor logits;
        if (stages) {
            Features f = model.features(input);
            for (int s = 1; s <= 4; s++) {
                // torchvision's stage outputs are NHWC; Features gives NCHW views of them.
                Tensor nhwc = f.stages().get("stage" + s).permute(0, 2, 3, 1);
                assertClose(name + " stage" + s, io.get("stage" + s), nhwc.data(), OUTPUT_TOL);
            }
            assertClose(name + " pooled", io.get("pooled"), f.pooled().data(), OUTPUT_TOL);
            logits = headOf(model).call(f.pooled());
        } else {
            logits = model.call(input);
        }
        long forward = System.nanoTime();
        logits.backward(Tensor.of(io.get("upstream")));
        long backward = System.nanoTime();
        System.out.printf("Swin parity %s: forward %.2f s, backward %.2f s%n", name, (forward - start) / 1e9,
                (backward - forward) / 1e9);

        assertClose(name + " logits", io.get("logits"), logits.data(), OUTPUT_TOL);
        assertClose(name + " input grad", io.get("input_grad"), input.grad().data(), GRAD_TOL);
        Path grads = Fixtures.dir(FIXTURE).resolve(name + "_grads.safetensors");
        Map<String, Tensor> params = model.namedParameters();
        List<String> failures = new ArrayList<>();
        double worst = 0;
        try (SafeTensors.Reader r = SafeTensors.open(grads)) {
            assertEquals(new ArrayList<>(r.names()), new ArrayList<>(params.keySet()), "parameters");
            for (String p : r.names()) {
                double err = relativeError(r.get(p), params.get(p).grad().data());
                worst = Math.max(worst, err);
                if (!(err <= GRAD_TOL)) {
                    failures.add(p + ": " + err);
                }
            }
        }
        System.out.printf("Swin parity %s: worst parameter gradient error %.3g over %d parameters%n", name, worst,
                params.size());
        assertTrue(failures.isEmpty(), name + ": parameter gradients beyond " + GRAD_TOL + ": " + failures);
    }

    /** The head as the model runs it (a child() read, so a replaced head counts). */
    private static org.weft.nn.Module headOf(SwinTransformer model) {
        return model.namedChildren().get("head");
    }

    private static void assertClose(String what, NDArray expected, NDArray actual, double tol) {
        assertEquals(expected.shape(), actual.shape(), what + " shape");
        double err = relativeError(expected, actual);
        assertTrue(err <= tol, what + ": relative error of the norm " + err + " > " + tol);
    }

    /** {@code ||actual - expected|| / ||expected||}, in double. */
    private static double relativeError(NDArray expected, NDArray actual) {
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < e.length; i++) {
            double d = a[i] - e[i];
            diff += d * d;
            norm += e[i] * e[i];
        }
        return norm == 0 ? Math.sqrt(diff) : Math.sqrt(diff / norm);
    }
}
