package org.weft.tests.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.weft.autograd.Tensor;
import org.weft.nn.Module;
import org.weft.tensor.NDArray;
import org.weft.tests.Fixtures;
import org.weft.tests.conformance.Compare;

/**
 * The checks shared by the model parity tests: a model holding torchvision's weights, run
 * on torchvision's input under torchvision's upstream gradients, must reproduce the
 * outputs, the input gradient, every parameter gradient and the batch-norm buffers that a
 * fixture recorded, within the tolerances (relative error of the 2-norm).
 *
 * <p>Gradients are compared in F64 (weights converted from the F32 checkpoint on both
 * sides). In F32 these deep ReLU networks' gradients depend on rounding far beyond 1e-3:
 * torch's own F32 gradients differ from its F64 ones by about 1% in evaluation and 3% in
 * training (ReLU masks flip on pre-activations within rounding of zero, and batch norm
 * over a small batch amplifies), so an F32 comparison would test the rounding, not the
 * model. The F32 forward pass, what users run, is compared too: outputs and buffers.
 */
final class ModelParity {

    /** Outputs and the buffers a forward pass writes. */
    static final double OUTPUT_TOL = 2e-4;
    /** Gradients, which sum over long chains of F32 products in a different order than torch's. */
    static final double GRAD_TOL = 1e-3;

    private ModelParity() {
    }

    /** The fixture's state dict as tensors, for {@code loadStateDict}. */
    static Map<String, Tensor> weights(String fixture) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Fixtures.load(fixture, "weights.safetensors").forEach((k, v) -> out.put(k, Tensor.of(v)));
        return out;
    }

    static JsonNode json(String fixture, String file) {
        try {
            return new ObjectMapper().readTree(Fixtures.dir(fixture).resolve(file).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Collects every disagreement, so one failure lists all that differ rather than the first. */
    static final class Report {
        private final String what;
        private final List<String> problems = new ArrayList<>();
        private int checked;

        Report(String what) {
            this.what = what;
        }

        void compare(String name, Tensor got, NDArray want, double tol) {
            checked++;
            if (got == null) {
                problems.add(name + ": missing on the Weft side");
                return;
            }
            String why = Compare.disagreement(got.data(), want, tol);
            if (why != null) {
                problems.add(name + ": " + why);
            }
        }

        void problem(String why) {
            checked++;
            problems.add(why);
        }

        /** Every parameter's gradient against {@code grad.<name>}; one the fixture lacks must have none. */
        void compareParameterGrads(Module model, Map<String, NDArray> recorded) {
            for (Map.Entry<String, Tensor> p : model.namedParameters().entrySet()) {
                NDArray want = recorded.get("grad." + p.getKey());
                if (want == null) {
                    checked++;
                    if (p.getValue().grad() != null) {
                        problems.add("grad." + p.getKey() + ": PyTorch gives no gradient, Weft gives one");
                    }
                } else {
                    compare("grad." + p.getKey(), p.getValue().grad(), want, GRAD_TOL);
                }
            }
        }

        /** Every buffer against {@code buffer.<name>}: running statistics and the batch counter. */
        void compareBuffers(Module model, Map<String, NDArray> recorded) {
            Map<String, Tensor> buffers = model.namedBuffers();
            assertEquals(recorded.keySet().stream().filter(k -> k.startsWith("buffer.")).count(), buffers.size(),
                    "number of buffers");
            for (Map.Entry<String, Tensor> b : buffers.entrySet()) {
                NDArray want = recorded.get("buffer." + b.getKey());
                if (want == null) {
                    problems.add("buffer." + b.getKey() + ": not in the fixture");
                } else {
                    compare("buffer." + b.getKey(), b.getValue(), want, OUTPUT_TOL);
                }
            }
        }

        void assertAgrees() {
            System.out.println(what + ": " + checked + " tensors compared, " + problems.size() + " disagree");
            if (!problems.isEmpty()) {
                fail(what + ": " + problems.size() + " of " + checked + " tensors disagree with torchvision:\n  "
                        + String.join("\n  ", problems));
            }
        }
    }

    /** The model's state-dict keys and shapes must be torchvision's, in torchvision's order. */
    static void assertSameKeys(String model, Module weft, JsonNode torchvision) {
        List<String> want = new ArrayList<>();
        for (JsonNode entry : torchvision) {
            StringBuilder shape = new StringBuilder();
            for (JsonNode d : entry.get(1)) {
                shape.append(shape.length() == 0 ? "" : ", ").append(d.asInt());
            }
            want.add(entry.get(0).asText() + " [" + shape + "]");
        }
        List<String> got = new ArrayList<>();
        weft.stateDict().forEach((k, v) -> got.add(k + " " + v.shape()));
        if (!got.equals(want)) {
            List<String> missing = new ArrayList<>(want);
            missing.removeAll(got);
            List<String> extra = new ArrayList<>(got);
            extra.removeAll(want);
            fail(model + ": state dict differs from torchvision's (" + got.size() + " vs " + want.size()
                    + " keys)\n  missing or mis-shaped: " + missing + "\n  unexpected: " + extra
                    + (missing.isEmpty() && extra.isEmpty() ? "\n  (same keys, different order)" : ""));
        }
    }

    static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
