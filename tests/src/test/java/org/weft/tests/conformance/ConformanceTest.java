package org.weft.tests.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.weft.autograd.Autograd;
import org.weft.autograd.GradCheck;
import org.weft.autograd.Tensor;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;

/**
 * Every op against PyTorch: each golden case runs the op on the same inputs (same views,
 * so the same strides) and compares outputs and input gradients within the case's tolerance;
 * small cases are also checked against finite differences in F64, and some to second order.
 * {@code -Dweft.conformance.filter=TEXT} runs only the cases whose name contains TEXT.
 */
class ConformanceTest {

    /** Finite differences cost two forward calls per input element; larger cases skip them. */
    private static final int GRADCHECK_MAX_ELEMENTS = 400;

    private static final OpRegistry OPS = OpRegistry.all();

    private static Goldens goldens() {
        Path dir = Goldens.location();
        if (dir == null) {
            String why = "no PyTorch goldens (system property weft.goldens = " + System.getProperty("weft.goldens")
                    + "); generate them with /usr/bin/python3 tests/goldens/generate.py --seed 0 --out DIR";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true and the oracle is missing: " + why);
            }
            Assumptions.abort(why);
        }
        return Goldens.load(dir);
    }

    @TestFactory
    Stream<DynamicNode> everyCaseAgreesWithPyTorch() {
        Goldens g = goldens();
        System.out.println("conformance: " + g.cases().size() + " cases from " + g.dir() + " (seed " + g.seed() + ")");
        String only = System.getProperty("weft.conformance.filter", "");
        return g.cases().stream().filter(c -> c.name().contains(only)).map(c -> {
            List<DynamicNode> checks = new ArrayList<>();
            checks.add(dynamicTest("forward", () -> checkForward(g, c)));
            if (c.grads()) {
                checks.add(dynamicTest("backward", () -> checkBackward(g, c)));
            }
            if (c.gradcheck() && c.grads()) {
                checks.add(dynamicTest("gradcheck F64", () -> checkFiniteDifferences(g, c, false)));
            }
            if (c.gradgradcheck() && c.grads()) {
                checks.add(dynamicTest("gradgradcheck F64", () -> checkFiniteDifferences(g, c, true)));
            }
            return dynamicContainer(c.name() + " " + c.args(), checks);
        });
    }

    @Test
    void everyRegisteredOpHasGoldenCases() {
        Goldens g = goldens();
        Set<String> covered = new TreeSet<>();
        for (GoldenCase c : g.cases()) {
            covered.add(c.op());
        }
        Set<String> missing = new TreeSet<>(OPS.names());
        missing.removeAll(covered);
        assertEquals(Set.of(), missing, "ops registered in Weft's suite without golden cases");
    }

    private static void checkForward(Goldens g, GoldenCase c) {
        Tensor[] outs = run(c, inputs(g, c, null));
        assertEquals(c.outputs(), outs.length, "number of outputs");
        for (int i = 0; i < outs.length; i++) {
            String why = Compare.disagreement(outs[i].data(), g.tensor(c, "out." + i), c.tol());
            if (why != null) {
                fail("output " + i + ": " + why);
            }
        }
    }

    private static void checkBackward(Goldens g, GoldenCase c) {
        Tensor[] in = inputs(g, c, null);
        Tensor[] outs = run(c, in);
        List<Tensor> diffOuts = new ArrayList<>();
        List<Tensor> seeds = new ArrayList<>();
        for (int i = 0; i < outs.length; i++) {
            if (g.has(c, "gout." + i)) {
                diffOuts.add(outs[i]);
                seeds.add(Tensor.of(g.tensor(c, "gout." + i)));
            }
        }
        List<Tensor> wrt = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int k = 0; k < in.length; k++) {
            if (c.inputs().get(k).requiresGrad()) {
                wrt.add(in[k]);
                names.add(c.inputs().get(k).name());
            }
        }
        Tensor[] grads = Autograd.grad(diffOuts.toArray(Tensor[]::new), wrt.toArray(Tensor[]::new),
                seeds.toArray(Tensor[]::new), false, false, true);
        for (int k = 0; k < grads.length; k++) {
            NDArray got = grads[k] == null ? wrt.get(k).data().zerosLike() : grads[k].data();
            String why = Compare.disagreement(got, g.tensor(c, "grad." + names.get(k)), c.gradTol());
            if (why != null) {
                fail("gradient of input '" + names.get(k) + "': " + why);
            }
        }
    }

    private static void checkFiniteDifferences(Goldens g, GoldenCase c, boolean secondOrder) {
        Tensor[] in = inputs(g, c, DType.F64);
        int elements = 0;
        for (Tensor t : in) {
            elements += t.requiresGrad() ? t.numel() : 0;
        }
        Assumptions.assumeTrue(elements <= GRADCHECK_MAX_ELEMENTS / (secondOrder ? 4 : 1),
                "too large for finite differences: " + elements + " elements");
        if (secondOrder) {
            GradCheck.gradgradcheck(x -> run(c, x), 7, in);
        } else {
            GradCheck.gradcheck(x -> run(c, x), in);
        }
    }

    private static Tensor[] run(GoldenCase c, Tensor[] inputs) {
        return OPS.get(c.op()).run(inputs, c.args());
    }

    /**
     * The case's inputs: each stored base with its view steps replayed, as a leaf that
     * requires grad where the case checks that gradient. {@code floatType} converts the
     * floating-point bases (F64 for finite differences); null keeps them.
     */
    private static Tensor[] inputs(Goldens g, GoldenCase c, DType floatType) {
        Tensor[] out = new Tensor[c.inputs().size()];
        for (int k = 0; k < out.length; k++) {
            GoldenCase.InputSpec spec = c.inputs().get(k);
            NDArray base = g.tensor(c, "in." + spec.name());
            if (floatType != null && base.dtype().isFloatingPoint()) {
                base = base.to(floatType);
            } else {
                base = base.copy(); // gradcheck perturbs inputs in place; never touch the cached golden
            }
            NDArray v = applyViews(base, spec.views());
            Tensor t = Tensor.of(v);
            out[k] = spec.requiresGrad() ? t.requiresGrad_(true) : t;
        }
        return out;
    }

    static NDArray applyViews(NDArray a, JsonNode views) {
        for (JsonNode v : views) {
            String kind = v.get(0).asText();
            switch (kind) {
                case "transpose" -> a = a.transpose(v.get(1).asInt(), v.get(2).asInt());
                case "permute" -> a = a.permute(ints(v.get(1)));
                case "slice" -> a = a.slice(v.get(1).asInt(), v.get(2).asInt(), v.get(3).asInt(), v.get(4).asInt());
                case "expand" -> a = a.expand(ints(v.get(1)));
                default -> throw new IllegalStateException("unknown view step " + v);
            }
        }
        return a;
    }

    private static int[] ints(JsonNode arr) {
        int[] out = new int[arr.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = arr.get(i).asInt();
        }
        return out;
    }
}
