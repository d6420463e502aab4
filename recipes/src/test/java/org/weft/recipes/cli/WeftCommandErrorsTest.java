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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weft.autograd.Tensor;
import org.weft.nn.AdaptiveAvgPool2d;
import org.weft.nn.Conv2d;
import org.weft.nn.Module;
import org.weft.nn.io.StateDicts;
import org.weft.recipes.report.RunReport;
import org.weft.recipes.train.MetricsLog;
import org.weft.recipes.train.Recipes;
import org.weft.recipes.train.TinyRecipe;
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

    /** Exit status {@code expected} and exactly one line on stderr, holding each of {@code parts}. */
    private void assertOneLine(int expected, int status, String... parts) {
        assertEquals(expected, status, "exit status; stderr: " + err);
        for (String p : parts) {
            assertTrue(err.toString().contains(p), "stderr should contain '" + p + "': " + err);
        }
        assertEquals(1, err.toString().strip().lines().count(), "one line: " + err);
        err.getBuffer().setLength(0);
    }

    /** weft with the standard recipes and the test's "tiny", writing real reports. */
    private int train(String... args) {
        picocli.CommandLine cl = Weft.commandLine(ModelRegistry.standard(), KeyMappings.standard(),
                Recipes.standard().register(new TinyRecipe()), RunReport::write);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    /** The one run folder under {@code runs}. */
    private static Path onlyRun(Path runs) throws IOException {
        try (var list = Files.list(runs)) {
            List<Path> all = list.toList();
            assertEquals(1, all.size(), all.toString());
            return all.get(0);
        }
    }

    @Test
    void trainRunsARecipeInANewRunFolderWithItsReport() throws IOException {
        Path runs = dir.resolve("runs");
        assertEquals(0, train("train", "tiny", "--runs-dir", runs.toString(), "--seed", "3", "--set", "epochs=1",
                "--progress", "lines"), err.toString());
        Path run = onlyRun(runs);
        assertTrue(run.getFileName().toString().matches("tiny-\\d{8}-\\d{6}"), run.toString());
        String config = Files.readString(run.resolve("config.json"));
        assertTrue(config.contains("\"seed\" : 3"), config);
        assertTrue(config.contains("\"epochs\" : 1"), config);
        assertTrue(Files.exists(run.resolve("checkpoints/lin.safetensors")));
        assertTrue(Files.exists(run.resolve("report.md")));
        assertTrue(out.toString().contains("device: cpu (auto: the CUDA backend lacks the losses and indexing ops and has not yet run on a GPU)"), out.toString());
        assertTrue(out.toString().contains("lin epoch 1/1  5/5"), "plain progress lines: " + out);
        assertEquals("", err.toString());
    }

    @Test
    void evalEvaluatesEachCheckpointOfARunAsTrainingLeftIt() throws IOException {
        Path runs = dir.resolve("runs");
        assertEquals(0, train("train", "tiny", "--runs-dir", runs.toString()), err.toString());
        Path run = onlyRun(runs);
        List<Map<String, Object>> lines = MetricsLog.read(run.resolve("metrics.jsonl"));
        Map<String, Object> lastEval = lines.get(lines.size() - 1);
        assertEquals("eval", lastEval.get("phase"));

        out.getBuffer().setLength(0);
        assertEquals(0, train("eval", run.toString()), err.toString());
        String[] printed = out.toString().split("\n");
        assertTrue(printed[1].startsWith("checkpoint  accuracy    loss"), out.toString());
        assertTrue(printed[2].startsWith("lin       "), out.toString());
        Map<String, Object> json = new com.fasterxml.jackson.databind.ObjectMapper().readValue(printed[3],
                new com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, Object>>() { });
        assertEquals("lin", json.get("checkpoint"));
        assertEquals(((Number) lastEval.get("accuracy")).doubleValue(), ((Number) json.get("accuracy")).doubleValue());
        assertEquals(((Number) lastEval.get("loss")).doubleValue(), ((Number) json.get("loss")).doubleValue());

        assertEquals(0, train("eval", run.resolve("checkpoints/lin.safetensors").toString()), err.toString());
        out.getBuffer().setLength(0);
        assertEquals(0, train("report", run.toString()), err.toString());
        assertEquals(run.resolve("report.md").toString(), out.toString().strip());
    }

    @Test
    void anInterruptedTrainingExits130WithTheCommandThatResumesIt() throws IOException {
        Path runs = dir.resolve("runs");
        int status = train("train", "tiny", "--runs-dir", runs.toString(), "--set", "interrupt=true");
        Path run = onlyRun(runs);
        assertOneLine(130, status, "weft train: stopped; resume with: weft train --resume " + run);
        assertTrue(Files.exists(run.resolve("report.md")), "the report of what was done so far");

        assertEquals(0, train("train", "--resume", run.toString()), err.toString());
        assertTrue(out.toString().contains("resuming run " + run), out.toString());
        assertTrue(Files.exists(run.resolve("checkpoints/lin.safetensors")));
        assertOneLine(1, train("train", "fashion-cnn", "--resume", run.toString()),
                run + " is a run of recipe 'tiny', not 'fashion-cnn'");
    }

    @Test
    void trainNamesUnknownRecipesAndListsTheKnown() {
        assertOneLine(1, train("train", "nope"), "weft train: unknown recipe 'nope'; known: fashion-cnn, mmd-transfer, tiny");
    }

    @Test
    void trainWithoutARecipeSaysWhichThereAre() {
        assertOneLine(1, train("train"), "weft train: which recipe? give one of fashion-cnn, mmd-transfer, tiny, or --resume RUN_DIR");
    }

    @Test
    void unknownOptionsAndBadNumbersAreOneLineUsageErrors() {
        assertOneLine(2, train("train", "tiny", "--bogus"),
                "weft train: Unknown option: '--bogus' (weft train --help lists the options)");
        assertOneLine(2, train("train", "tiny", "--epochs", "many"), "weft train: Invalid value for option '--epochs'");
    }

    @Test
    void trainNamesAMissingDataDirectory() {
        assertOneLine(1, train("train", "tiny", "--runs-dir", dir.resolve("runs").toString(), "--data",
                dir.resolve("nothing").toString()), "weft train: --data: no such directory: " + dir.resolve("nothing"));
        assertTrue(!Files.exists(dir.resolve("runs")), "no run folder for a run that could not start");
    }

    @Test
    void trainNamesTheLineAndColumnOfMalformedConfigFiles() throws IOException {
        Path cfg = Files.writeString(dir.resolve("cfg.json"), "{\"epochs\": 2,,}");
        assertOneLine(1, train("train", "tiny", "--config", cfg.toString()), "weft train: " + cfg + ":1:14: Unexpected");
    }

    @Test
    void trainNamesUnknownConfigKeysAndListsTheKnown() throws IOException {
        Path cfg = Files.writeString(dir.resolve("cfg.json"), "{\"epoch\": 2}");
        assertOneLine(1, train("train", "tiny", "--config", cfg.toString()),
                "weft train: " + cfg + ": unknown key 'epoch'; known keys: epochs, interrupt, seed, log_every,"
                        + " eval_every, checkpoint_every");
    }

    @Test
    void trainNamesAMissingConfigFile() {
        assertOneLine(1, train("train", "tiny", "--config", dir.resolve("no.json").toString()), "no such file", "no.json");
    }

    @Test
    void thereIsNoCudaBackendYet() {
        assertOneLine(1, train("train", "tiny", "--device", "cuda"),
                "weft train: --device cuda: the CUDA backend lacks the losses and indexing ops and has not yet run on a GPU;"
                        + " use --device cpu");
        assertOneLine(1, train("train", "tiny", "--device", "tpu"), "--device must be auto, cpu or cuda, got 'tpu'");
    }

    @Test
    void resumeKeepsTheRecordedConfiguration() throws IOException {
        Files.writeString(dir.resolve("config.json"), "{\"recipe\": \"tiny\", \"config\": {}}");
        assertOneLine(1, train("train", "--resume", dir.toString(), "--epochs", "3"),
                "weft train: --resume goes on under the configuration in " + dir + "/config.json; --epochs cannot be"
                        + " combined with it");
    }

    @Test
    void foldersWithoutConfigAreNotRunFolders() {
        String expected = dir + " is not a run folder: it has no config.json";
        assertOneLine(1, train("train", "--resume", dir.toString()), "weft train: " + expected);
        assertOneLine(1, train("eval", dir.toString()), "weft eval: " + expected);
        assertOneLine(1, train("report", dir.toString()), "weft report: " + expected);
        assertOneLine(1, train("eval", dir.resolve("gone").toString()), "weft eval: no such file: " + dir.resolve("gone"));
    }

    @Test
    void evalNeedsACheckpoint() throws IOException {
        Files.writeString(dir.resolve("config.json"), "{\"recipe\": \"tiny\", \"config\": {}}");
        assertOneLine(1, train("eval", dir.toString()), "weft eval: " + dir + " has no checkpoints");
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
        // The CUDA module is on the class path: the line lists the GPUs or says why none is usable.
        assertTrue(out.toString().contains("cuda: not usable: ") || out.toString().contains("cuda: driver "),
                out.toString());
        assertTrue(out.toString().contains("Threads"), out.toString());
    }
}
