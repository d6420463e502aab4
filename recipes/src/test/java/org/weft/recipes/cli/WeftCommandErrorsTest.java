package org.weft.recipes.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weft.autograd.Tensor;
import org.weft.nn.AdaptiveAvgPool2d;
import org.weft.nn.Conv2d;
import org.weft.nn.Module;
import org.weft.nn.io.StateDicts;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;
import org.weft.tensor.io.SafeTensors;

/**
 * The weft command's answers to mistakes: each is one line naming what is wrong (and what
 * would be right) and exit status 1. Also the happy paths that need no PyTorch.
 */
class WeftCommandErrorsTest {

    /** A conv and a global pool: (N, 3, H, W) to (N, classes). */
    static final class Pool extends Module {
        private final Conv2d conv = register("conv", new Conv2d(3, 2, 1));
        private final AdaptiveAvgPool2d pool = register("pool", new AdaptiveAvgPool2d(1, 1));

        @Override
        protected Tensor forward(Tensor x) {
            return pool.call(conv.call(x)).flatten(1, 3);
        }
    }

    @TempDir
    Path dir;

    private Path weights;
    private Path input;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void files() throws IOException {
        weights = dir.resolve("w.safetensors");
        StateDicts.save(weights, new Pool().stateDict());
        input = batch(Map.of("input", NDArray.ones(DType.F32, 2, 3, 4, 4), "grad_logits", NDArray.ones(DType.F32, 2, 2)));
    }

    private Path batch(Map<String, NDArray> tensors) throws IOException {
        Path p = Files.createTempFile(dir, "in", ".safetensors");
        SafeTensors.write(p, tensors);
        return p;
    }

    private int weft(String... args) {
        picocli.CommandLine cl = Weft.commandLine(
                ModelRegistry.standard().register("pool", n -> InferenceModel.of(new Pool())), KeyMappings.standard());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private int infer(Path in, String... extra) {
        String[] base = {"infer", "--arch", "pool", "--num-classes", "2", "--weights", weights.toString(),
            "--input", in.toString(), "--output", dir.resolve("out.safetensors").toString()};
        String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return weft(args);
    }

    private void assertError(int status, String... parts) {
        assertEquals(1, status, "exit status; stderr: " + err);
        for (String p : parts) {
            assertTrue(err.toString().contains(p), "stderr should contain '" + p + "': " + err);
        }
    }

    @Test
    void inferWritesLogitsAndGradients() throws IOException {
        assertEquals(0, infer(input, "--backward"), err.toString());
        Map<String, NDArray> got = SafeTensors.read(dir.resolve("out.safetensors"));
        assertEquals(java.util.List.of("logits", "grad_input", "grad.conv.weight", "grad.conv.bias"),
                java.util.List.copyOf(got.keySet()));
        // d/db Σ(logits · 1) over a batch of 2 with pooled outputs: each bias gets 2.
        assertArrayEquals(new float[] {2, 2}, got.get("grad.conv.bias").toFloatArray());
    }

    @Test
    void unknownArchitectureListsTheKnownOnes() {
        assertError(weft("infer", "--arch", "resnet5", "--num-classes", "2", "--weights", weights.toString(),
                "--input", input.toString(), "--output", dir.resolve("o.safetensors").toString()),
                "weft infer: unknown architecture 'resnet5'; known: resnet18, resnet34, resnet50, resnet101, resnet152,"
                        + " googlenet, swin_t, swin_s, swin_b, swin_l, pool");
    }

    @Test
    void badModeSaysEvalOrTrain() {
        assertError(infer(input, "--mode", "test"), "--mode must be eval or train, got 'test'");
    }

    @Test
    void missingWeightsFileIsNamed() {
        assertError(weft("infer", "--arch", "pool", "--num-classes", "2", "--weights", dir.resolve("no.pth").toString(),
                "--input", input.toString(), "--output", dir.resolve("o.safetensors").toString()),
                "no such file", "no.pth");
    }

    @Test
    void missingInputFileIsNamed() {
        assertError(infer(dir.resolve("nothing.safetensors")), "no such file", "nothing.safetensors");
    }

    @Test
    void inputWithoutInputTensorListsWhatItHolds() throws IOException {
        assertError(infer(batch(Map.of("x", NDArray.ones(DType.F32, 2, 3, 4, 4)))), "no tensor 'input'", "[x]");
    }

    @Test
    void wrongInputShapeIsNamed() throws IOException {
        assertError(infer(batch(Map.of("input", NDArray.ones(DType.F32, 2, 4, 4)))),
                "'input' must be a floating-point batch (N, 3, H, W), got F32 [2, 4, 4]");
    }

    @Test
    void backwardWithoutUpstreamGradientIsNamed() throws IOException {
        assertError(infer(batch(Map.of("input", NDArray.ones(DType.F32, 2, 3, 4, 4))), "--backward"),
                "missing [grad_logits]");
    }

    @Test
    void upstreamGradientOfWrongShapeIsNamed() throws IOException {
        Map<String, NDArray> t = new LinkedHashMap<>();
        t.put("input", NDArray.ones(DType.F32, 2, 3, 4, 4));
        t.put("grad_logits", NDArray.ones(DType.F32, 2, 3));
        assertError(infer(batch(t), "--backward"), "'grad_logits' has shape [2, 3] but output 'logits' has shape [2, 2]");
    }

    @Test
    void weightsOfAnotherModelAreRefusedWithTheKeys() throws IOException {
        StateDicts.save(weights, Map.of("fc.weight", Tensor.zeros(2, 2)));
        assertError(infer(input), "Missing keys", "conv.weight", "Unexpected keys", "fc.weight");
    }

    @Test
    void convertWritesSafetensorsAndWidensHalves() throws IOException {
        Path in = batch(Map.of("h", NDArray.of(new float[] {1.5f, -2f}, 2).to(DType.BF16)));
        Path converted = dir.resolve("c.safetensors");
        assertEquals(0, weft("convert", in.toString(), converted.toString(), "--f32"), err.toString());
        NDArray h = SafeTensors.read(converted).get("h");
        assertEquals(DType.F32, h.dtype());
        assertArrayEquals(new float[] {1.5f, -2f}, h.toFloatArray());
        assertTrue(out.toString().contains("wrote 1 tensors"));
    }

    @Test
    void convertNamesUnknownSourceLibraries() {
        assertError(weft("convert", weights.toString(), dir.resolve("c.safetensors").toString(), "--from", "keras"),
                "weft convert: unknown --from 'keras'; known: none");
    }

    @Test
    void convertRefusesToWritePth() {
        assertError(weft("convert", weights.toString(), dir.resolve("c.pth").toString()), "safetensors only");
    }

    @Test
    void infoNamesTheDevices() {
        assertEquals(0, weft("info"));
        assertTrue(out.toString().contains("cuda: not in this build"), out.toString());
        assertTrue(out.toString().contains("Threads"), out.toString());
    }
}
