package org.weft.tests.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.weft.autograd.Tensor;
import org.weft.nn.AdaptiveAvgPool2d;
import org.weft.nn.AvgPool2d;
import org.weft.nn.BatchNorm1d;
import org.weft.nn.BatchNorm2d;
import org.weft.nn.Conv2d;
import org.weft.nn.DropPath;
import org.weft.nn.Dropout;
import org.weft.nn.Flatten;
import org.weft.nn.GELU;
import org.weft.nn.Identity;
import org.weft.nn.LayerNorm;
import org.weft.nn.Linear;
import org.weft.nn.MaxPool2d;
import org.weft.nn.Module;
import org.weft.nn.ModuleDict;
import org.weft.nn.ModuleList;
import org.weft.nn.ReLU;
import org.weft.nn.Sequential;
import org.weft.nn.Sigmoid;
import org.weft.nn.Softmax;
import org.weft.nn.Tanh;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;
import org.weft.tests.Fixtures;

/**
 * Every nn layer against its torch.nn twin (fixture {@code layers}, written by
 * tests/goldens/fixtures/layers.py): the torch state dict loads strictly into the Weft layer,
 * which then runs the same input (non-contiguous where the case says so) in the same mode and
 * must give the same output, input gradient, parameter gradients and updated buffers; then
 * again after {@code Module.to(F64)}, which must convert every floating tensor.
 */
class LayersParityTest {

    /** The tolerance for F32 layers built on reductions, matmul and convolution. */
    private static final double TOL = 1e-5;

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> layersAgreeWithPyTorch() throws IOException {
        Path dir = Fixtures.dir("layers");
        JsonNode cases = JSON.readTree(dir.resolve("cases.json").toFile());
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : cases) {
            tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> runCase(c, DType.F32)));
        }
        // The same cases after Module.to(F64): every parameter and buffer converts, and the
        // results differ from PyTorch's F32 ones only by F32 rounding.
        for (JsonNode c : cases) {
            tests.add(DynamicTest.dynamicTest(c.get("name").asText() + " in F64", () -> runCase(c, DType.F64)));
        }
        return tests.stream();
    }

    private static void runCase(JsonNode c, DType dtype) {
        String name = c.get("name").asText();
        Map<String, NDArray> saved = Fixtures.load("layers", name + ".safetensors");
        Module layer = build(c.get("layer").asText(), c.get("args"));
        Map<String, Tensor> state = new LinkedHashMap<>();
        saved.forEach((key, value) -> {
            if (key.startsWith("state.")) {
                state.put(key.substring("state.".length()), Tensor.of(value));
            }
        });
        layer.to(dtype);
        layer.loadStateDict(state, true);
        layer.train(c.get("train").asBoolean());
        for (Map.Entry<String, Tensor> e : layer.stateDict().entrySet()) {
            DType want = e.getValue().dtype().isFloatingPoint() ? dtype : DType.I64;
            assertEquals(want, e.getValue().dtype(), e.getKey());
        }

        NDArray input = saved.get("input").to(dtype);
        for (JsonNode v : c.get("views")) {
            input = view(input, v);
        }
        Tensor x = Tensor.of(input).requiresGrad_(true);
        Tensor y = layer.call(x);
        assertEquals(dtype, y.dtype());
        y.backward(Tensor.of(saved.get("grad_output").to(dtype)));

        List<String> failures = new ArrayList<>();
        check(failures, "output", y.data(), saved.get("output"));
        check(failures, "input grad", x.grad() == null ? null : x.grad().data(), saved.get("input_grad"));
        for (Map.Entry<String, Tensor> p : layer.namedParameters().entrySet()) {
            Tensor grad = p.getValue().grad();
            check(failures, "grad of " + p.getKey(), grad == null ? null : grad.data(),
                    saved.get("grad." + p.getKey()));
        }
        Map<String, Tensor> buffers = layer.namedBuffers();
        for (Map.Entry<String, NDArray> e : saved.entrySet()) {
            if (e.getKey().startsWith("after.")) {
                String key = e.getKey().substring("after.".length());
                Tensor buffer = buffers.get(key);
                check(failures, "buffer " + key, buffer == null ? null : buffer.data(), e.getValue());
            }
        }
        assertEquals(buffers.size(), saved.keySet().stream().filter(k -> k.startsWith("after.")).count(),
                "buffers " + buffers.keySet());
        if (!failures.isEmpty()) {
            fail(name + ":\n  " + String.join("\n  ", failures));
        }
    }

    /**
     * The key order of PyTorch's {@code state_dict()}, {@code named_parameters()} and
     * {@code named_buffers()} for a model mixing containers with its own tensors registered
     * after its children (fixture's {@code Composite}).
     */
    @Test
    void stateDictKeyOrderMatchesPyTorch() throws IOException {
        JsonNode want = JSON.readTree(Fixtures.dir("layers").resolve("composite.json").toFile());
        Module model = new Composite();
        assertEquals(strings(want.get("state_dict")), new ArrayList<>(model.stateDict().keySet()));
        assertEquals(strings(want.get("named_parameters")), new ArrayList<>(model.namedParameters().keySet()));
        assertEquals(strings(want.get("named_buffers")), new ArrayList<>(model.namedBuffers().keySet()));
    }

    /** The Weft twin of layers.py's {@code Composite}, registered in the same attribute order. */
    private static final class Composite extends Module {
        Composite() {
            register("features", new Sequential(new Conv2d(3, 4, 3, 1, 0, 1, 1, false), new BatchNorm2d(4),
                    new ReLU(), new AdaptiveAvgPool2d(1), new Flatten()));
            register("blocks", new ModuleList(new Linear(4, 4), new LayerNorm(4), new Identity()));
            Map<String, Module> heads = new LinkedHashMap<>();
            heads.put("cls", new Linear(4, 3));
            heads.put("aux", new Sequential(new Dropout(0.1), new Linear(4, 2, false)));
            register("heads", new ModuleDict(heads));
            registerParameter("scale", Tensor.ones(1));
            registerBuffer("steps", Tensor.zeros(DType.F32));
            registerBuffer("cache", Tensor.zeros(2), false);
        }

        @Override
        protected Tensor forward(Tensor x) {
            return x;
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The Weft layer for layers.py's {@code layer_for(layer, args)}. */
    private static Module build(String layer, JsonNode a) {
        switch (layer) {
            case "linear":
                return new Linear(a.get("in").asInt(), a.get("out").asInt(), a.get("bias").asBoolean());
            case "conv2d":
                return new Conv2d(a.get("in").asInt(), a.get("out").asInt(), a.get("kernel").asInt(),
                        a.get("stride").asInt(), a.get("padding").asInt(), a.get("dilation").asInt(),
                        a.get("groups").asInt(), a.get("bias").asBoolean());
            case "batchnorm1d":
                return new BatchNorm1d(a.get("features").asInt(), a.get("eps").asDouble(), momentum(a),
                        a.get("affine").asBoolean(), a.get("track").asBoolean());
            case "batchnorm2d":
                return new BatchNorm2d(a.get("features").asInt(), a.get("eps").asDouble(), momentum(a),
                        a.get("affine").asBoolean(), a.get("track").asBoolean());
            case "layernorm":
                return new LayerNorm(ints(a.get("shape")), a.get("eps").asDouble(), a.get("affine").asBoolean());
            case "relu":
                return new ReLU();
            case "gelu":
                return new GELU(a.get("approximate").asText());
            case "sigmoid":
                return new Sigmoid();
            case "tanh":
                return new Tanh();
            case "softmax":
                return new Softmax(a.get("dim").asInt());
            case "dropout":
                return new Dropout(a.get("p").asDouble());
            case "droppath":
                return new DropPath(a.get("p").asDouble());
            case "maxpool2d": {
                int k = a.get("kernel").asInt();
                int s = a.get("stride").asInt();
                int p = a.get("padding").asInt();
                int d = a.get("dilation").asInt();
                return new MaxPool2d(new int[] {k, k}, new int[] {s, s}, new int[] {p, p}, new int[] {d, d},
                        a.get("ceil").asBoolean());
            }
            case "avgpool2d":
                return new AvgPool2d(a.get("kernel").asInt(), a.get("stride").asInt(), a.get("padding").asInt(),
                        a.get("ceil").asBoolean(), a.get("count_include_pad").asBoolean());
            case "adaptiveavgpool2d":
                return new AdaptiveAvgPool2d(a.get("size").get(0).asInt(), a.get("size").get(1).asInt());
            case "flatten":
                return new Flatten(a.get("start").asInt(), a.get("end").asInt());
            case "identity":
                return new Identity();
            case "sequential":
                return new Sequential(new Conv2d(3, 4, 3, 1, 1, 1, 1, false), new BatchNorm2d(4), new ReLU(),
                        new MaxPool2d(2), new AdaptiveAvgPool2d(1, 1), new Flatten(), new Linear(4, 3));
            default:
                throw new IllegalArgumentException("layers fixture names an unknown layer '" + layer + "'");
        }
    }

    private static Double momentum(JsonNode a) {
        return a.get("momentum").isNull() ? null : a.get("momentum").asDouble();
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    /** One harness view step: transpose, permute or slice. */
    private static NDArray view(NDArray a, JsonNode v) {
        switch (v.get(0).asText()) {
            case "transpose":
                return a.transpose(v.get(1).asInt(), v.get(2).asInt());
            case "permute":
                return a.permute(ints(v.get(1)));
            case "slice":
                return a.slice(v.get(1).asInt(), v.get(2).asInt(), v.get(3).asInt(), v.get(4).asInt());
            default:
                throw new IllegalArgumentException("unknown view step " + v);
        }
    }

    /**
     * Records a disagreement: integers must be equal, floats within {@link #TOL} in the 2-norm
     * of the difference relative to the 2-norm of PyTorch's value.
     */
    private static void check(List<String> failures, String what, NDArray got, NDArray want) {
        assertNotNull(want, what + " is missing from the fixture");
        if (got == null) {
            failures.add(what + ": Weft gives none");
            return;
        }
        if (got.dtype() == DType.F64 && want.dtype() == DType.F32) {
            got = got.to(DType.F32);
        }
        if (!got.shape().equals(want.shape()) || got.dtype() != want.dtype()) {
            failures.add(what + ": " + got.dtype() + " " + got.shape() + " but PyTorch gives " + want.dtype() + " "
                    + want.shape());
            return;
        }
        double[] g = got.toDoubleArray();
        double[] w = want.toDoubleArray();
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < g.length; i++) {
            diff += (g[i] - w[i]) * (g[i] - w[i]);
            norm += w[i] * w[i];
        }
        double err = norm < 1e-24 ? Math.sqrt(diff) : Math.sqrt(diff / norm);
        boolean exact = !want.dtype().isFloatingPoint();
        if (exact ? diff != 0 : !(err <= TOL)) {
            failures.add(String.format("%s: relative error %.3g (tolerance %s)", what, err, exact ? "exact" : TOL));
        }
    }
}
