package org.weft.tests.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weft.autograd.Tensor;
import org.weft.nn.AdaptiveAvgPool2d;
import org.weft.nn.BatchNorm2d;
import org.weft.nn.Conv2d;
import org.weft.nn.Dropout;
import org.weft.nn.Flatten;
import org.weft.nn.Linear;
import org.weft.nn.Module;
import org.weft.nn.ReLU;
import org.weft.recipes.cli.InferenceModel;
import org.weft.recipes.cli.KeyMappings;
import org.weft.recipes.cli.ModelRegistry;
import org.weft.recipes.cli.Weft;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;
import org.weft.tensor.io.SafeTensors;
import org.weft.tests.Fixtures;
import picocli.CommandLine;

/**
 * {@code weft infer} end to end, run in-process through picocli, on a tiny network that is
 * registered only here, against what PyTorch computes for the same network, weights (read
 * from torch's .pth) and batch (tests/goldens/fixtures/cli_infer.py).
 */
class InferCommandTest {

    /** The fixture's network: conv, BN, ReLU, pool, dropout (which infer must switch off), linear. */
    static final class Tiny extends Module {
        private final Conv2d conv1 = register("conv1", new Conv2d(3, 4, 3, 1, 1, 1, 1, false));
        private final BatchNorm2d bn1 = register("bn1", new BatchNorm2d(4));
        private final ReLU relu = register("relu", new ReLU());
        private final AdaptiveAvgPool2d pool = register("pool", new AdaptiveAvgPool2d(1, 1));
        private final Dropout dropout = register("dropout", new Dropout(0.5));
        private final Linear fc;

        Tiny(int numClasses) {
            fc = register("fc", new Linear(4, numClasses));
        }

        @Override
        protected Tensor forward(Tensor x) {
            Tensor h = pool.call(relu.call(bn1.call(conv1.call(x))));
            return fc.call(dropout.call(new Flatten().call(h)));
        }
    }

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private int weft(String... args) {
        CommandLine cl = Weft.commandLine(
                ModelRegistry.standard().register("tiny", n -> InferenceModel.of(new Tiny(n))), KeyMappings.standard());
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        return cl.execute(args);
    }

    private Map<String, NDArray> infer(String input, String... extra) throws IOException {
        Path fixture = Fixtures.dir("cli_infer");
        Path out = dir.resolve("out.safetensors");
        List<String> args = new ArrayList<>(List.of("infer", "--arch", "tiny", "--num-classes", "5",
                "--weights", fixture.resolve("weights.pth").toString(),
                "--input", fixture.resolve(input).toString(), "--output", out.toString()));
        args.addAll(List.of(extra));
        assertEquals(0, weft(args.toArray(String[]::new)), err.toString());
        return SafeTensors.read(out);
    }

    @Test
    void evalForwardAndBackwardMatchTorch() throws IOException {
        assertMatches(Fixtures.load("cli_infer", "expected_eval.safetensors"),
                infer("input.safetensors", "--mode", "eval", "--backward"));
    }

    @Test
    void trainModeUsesBatchStatisticsUpdatesBuffersAndDropsNothing() throws IOException {
        assertMatches(Fixtures.load("cli_infer", "expected_train.safetensors"),
                infer("input.safetensors", "--mode", "train", "--backward"));
    }

    @Test
    void forwardOnlyWritesOnlyTheLogits() throws IOException {
        Map<String, NDArray> got = infer("input_forward.safetensors");
        assertEquals(List.of("logits"), List.copyOf(got.keySet()));
        assertClose("logits", Fixtures.load("cli_infer", "expected_eval.safetensors").get("logits"), got.get("logits"));
    }

    private static void assertMatches(Map<String, NDArray> expected, Map<String, NDArray> got) {
        assertEquals(new java.util.TreeSet<>(expected.keySet()), new java.util.TreeSet<>(got.keySet()));
        for (String name : expected.keySet()) {
            assertClose(name, expected.get(name), got.get(name));
        }
    }

    /** Floats within a relative 2-norm error of 1e-5 (the conv/BN tolerance); integers exactly. */
    private static void assertClose(String name, NDArray expected, NDArray got) {
        assertEquals(expected.shape(), got.shape(), name + " shape");
        assertEquals(expected.dtype(), got.dtype(), name + " dtype");
        if (!expected.dtype().isFloatingPoint()) {
            assertArrayEquals(expected.toLongArray(), got.toLongArray(), name);
            return;
        }
        double[] e = expected.to(DType.F64).toDoubleArray();
        double[] g = got.to(DType.F64).toDoubleArray();
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < e.length; i++) {
            diff += (e[i] - g[i]) * (e[i] - g[i]);
            norm += e[i] * e[i];
        }
        double rel = Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-30);
        assertTrue(rel <= 1e-5, name + ": relative error " + rel + " > 1e-5");
    }
}
