package org.weft.tests.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.weft.autograd.Tensor;
import org.weft.nn.optim.Adam;
import org.weft.nn.optim.AdamW;
import org.weft.nn.optim.ClipGrad;
import org.weft.nn.optim.LRScheduler;
import org.weft.nn.optim.LambdaLR;
import org.weft.nn.optim.MultiStepLR;
import org.weft.nn.optim.Optimizer;
import org.weft.nn.optim.ParamGroup;
import org.weft.nn.optim.SGD;
import org.weft.nn.optim.StepLR;
import org.weft.nn.optim.WarmupCosineLR;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;
import org.weft.tests.Fixtures;

/**
 * Optimisers, schedulers and gradient clipping against torch.optim 1.13: each configuration
 * of tests/goldens/fixtures/optim.py is replayed from the same initial parameters with the
 * same gradients, and the parameters after every step, the learning rate of every step and
 * the final optimiser state must match PyTorch's. Each configuration is replayed a second
 * time through a state-dict round trip into fresh optimiser and scheduler objects after
 * step 2, which must not change anything.
 */
class OptimParityTest {

    private static final String FIXTURE = "optim";
    private static final double F32_TOL = 1e-6;
    private static final double F64_TOL = 1e-12;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> trajectoriesMatchTorch() throws IOException {
        JsonNode root = JSON.readTree(Fixtures.dir(FIXTURE).resolve("configs.json").toFile());
        int steps = root.get("steps").asInt();
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode cfg : root.get("configs")) {
            String name = cfg.get("name").asText();
            tests.add(DynamicTest.dynamicTest(name, () -> replay(cfg, steps, -1)));
            tests.add(DynamicTest.dynamicTest(name + " (state dict round trip after step 2)", () -> replay(cfg, steps, 2)));
        }
        return tests.stream();
    }

    private void replay(JsonNode cfg, int steps, int reloadAfter) {
        String name = cfg.get("name").asText();
        Map<String, NDArray> golden = Fixtures.load(FIXTURE, name + ".safetensors");
        boolean f64 = cfg.get("dtype").asText().equals("F64");
        double tol = f64 ? F64_TOL : F32_TOL;
        List<Tensor> params = new ArrayList<>();
        for (int i = 0; golden.containsKey("init." + i); i++) {
            params.add(Tensor.of(golden.get("init." + i).copy()).requiresGrad_(true));
        }
        Optimizer opt = optimizer(cfg, params);
        LRScheduler sched = scheduler(cfg, opt);
        double[] lrs = golden.get("lr").toDoubleArray();
        int groups = opt.paramGroups().size();
        for (int step = 0; step < steps; step++) {
            opt.zeroGrad();
            for (int i = 0; i < params.size(); i++) {
                NDArray g = golden.get("grad." + step + "." + i);
                if (g != null) {
                    params.get(i).setGrad(Tensor.of(g.copy()));
                }
            }
            for (int k = 0; k < groups; k++) {
                assertEquals(lrs[step * groups + k], opt.paramGroups().get(k).lr(), 1e-15 * Math.abs(lrs[step * groups + k]),
                        name + ": lr of group " + k + " at step " + step);
            }
            opt.step();
            if (sched != null) {
                sched.step();
            }
            for (int i = 0; i < params.size(); i++) {
                assertClose(golden.get("param." + step + "." + i), params.get(i).data(), tol,
                        name + ": parameter " + i + " after step " + step);
            }
            if (step == reloadAfter) {
                Optimizer.StateDict optState = opt.stateDict();
                Map<String, Object> schedState = sched == null ? null : sched.stateDict();
                opt = optimizer(cfg, params);
                sched = scheduler(cfg, opt);
                opt.loadStateDict(optState);
                if (sched != null) {
                    sched.loadStateDict(schedState);
                }
            }
        }
        Map<String, NDArray> state = opt.stateDict().tensors();
        for (Map.Entry<String, NDArray> e : golden.entrySet()) {
            if (e.getKey().startsWith("state.")) {
                String key = e.getKey().substring("state.".length());
                NDArray mine = state.get(key);
                assertNotNull(mine, name + ": no optimiser state '" + key + "'; have " + state.keySet());
                assertClose(e.getValue(), mine, tol, name + ": state " + key);
            }
        }
        long torchStates = golden.keySet().stream().filter(k -> k.startsWith("state.")).count();
        assertEquals(torchStates, state.size(), name + ": state keys " + state.keySet());
    }

    private static Optimizer optimizer(JsonNode cfg, List<Tensor> params) {
        JsonNode options = cfg.get("options");
        String kind = cfg.get("opt").asText();
        JsonNode groupsCfg = cfg.get("groups");
        ParamGroup[] groups;
        if (groupsCfg == null || groupsCfg.isNull()) {
            groups = new ParamGroup[] {ParamGroup.of(params)};
        } else {
            groups = new ParamGroup[groupsCfg.size()];
            for (int k = 0; k < groups.length; k++) {
                List<Tensor> members = new ArrayList<>();
                for (JsonNode idx : groupsCfg.get(k).get(0)) {
                    members.add(params.get(idx.asInt()));
                }
                ParamGroup group = ParamGroup.of(members);
                groupsCfg.get(k).get(1).fields().forEachRemaining(f -> group.set(f.getKey(), value(f.getValue())));
                groups[k] = group;
            }
        }
        switch (kind) {
            case "SGD" -> {
                SGD.Options o = SGD.options().lr(options.get("lr").asDouble());
                options.fields().forEachRemaining(f -> {
                    switch (f.getKey()) {
                        case "lr" -> { }
                        case "momentum" -> o.momentum(f.getValue().asDouble());
                        case "dampening" -> o.dampening(f.getValue().asDouble());
                        case "weight_decay" -> o.weightDecay(f.getValue().asDouble());
                        case "nesterov" -> o.nesterov(f.getValue().asBoolean());
                        default -> throw new IllegalArgumentException("SGD option " + f.getKey());
                    }
                });
                return new SGD(o, groups);
            }
            case "Adam", "AdamW" -> {
                Adam.Options o = kind.equals("Adam") ? Adam.options() : AdamW.options();
                options.fields().forEachRemaining(f -> {
                    switch (f.getKey()) {
                        case "lr" -> o.lr(f.getValue().asDouble());
                        case "betas" -> o.betas(f.getValue().get(0).asDouble(), f.getValue().get(1).asDouble());
                        case "eps" -> o.eps(f.getValue().asDouble());
                        case "weight_decay" -> o.weightDecay(f.getValue().asDouble());
                        case "amsgrad" -> o.amsgrad(f.getValue().asBoolean());
                        default -> throw new IllegalArgumentException("Adam option " + f.getKey());
                    }
                });
                return kind.equals("Adam") ? new Adam(o, groups) : new AdamW(o, groups);
            }
            default -> throw new IllegalArgumentException("optimizer " + kind);
        }
    }

    private static Object value(JsonNode v) {
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isArray()) {
            double[] a = new double[v.size()];
            for (int i = 0; i < a.length; i++) {
                a[i] = v.get(i).asDouble();
            }
            return a;
        }
        return v.asDouble();
    }

    private static LRScheduler scheduler(JsonNode cfg, Optimizer opt) {
        JsonNode s = cfg.get("scheduler");
        if (s == null || s.isNull()) {
            return null;
        }
        switch (s.get("type").asText()) {
            case "StepLR":
                return new StepLR(opt, s.get("step_size").asInt(), s.get("gamma").asDouble());
            case "MultiStepLR": {
                int[] milestones = new int[s.get("milestones").size()];
                for (int i = 0; i < milestones.length; i++) {
                    milestones[i] = s.get("milestones").get(i).asInt();
                }
                return new MultiStepLR(opt, milestones, s.get("gamma").asDouble());
            }
            case "LambdaLR": {
                List<IntToDoubleFunction> fns = new ArrayList<>();
                for (JsonNode n : s.get("lambdas")) {
                    fns.add(switch (n.asText()) {
                        case "exp09" -> t -> Math.pow(0.9, t);
                        case "inverse" -> t -> 1.0 / (t + 1);
                        default -> throw new IllegalArgumentException("lambda " + n);
                    });
                }
                return new LambdaLR(opt, fns);
            }
            case "WarmupCosineLR":
                return new WarmupCosineLR(opt, s.get("warmup_steps").asInt(), s.get("total_steps").asInt(),
                        s.get("warmup_start_factor").asDouble(), s.get("eta_min").asDouble());
            default:
                throw new IllegalArgumentException("scheduler " + s);
        }
    }

    @Test
    void clipGradNormMatchesTorch() throws IOException {
        JsonNode cases = JSON.readTree(Fixtures.dir(FIXTURE).resolve("clip.json").toFile());
        JsonNode shapes = JSON.readTree(Fixtures.dir(FIXTURE).resolve("configs.json").toFile()).get("shapes");
        Map<String, NDArray> golden = Fixtures.load(FIXTURE, "clip.safetensors");
        for (int c = 0; c < cases.size(); c++) {
            JsonNode cs = cases.get(c);
            double normType = cs.get("norm_type").isTextual() ? Double.POSITIVE_INFINITY : cs.get("norm_type").asDouble();
            List<Tensor> params = new ArrayList<>();
            for (int i = 0; i < shapes.size(); i++) {
                int[] shape = new int[shapes.get(i).size()];
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = shapes.get(i).get(d).asInt();
                }
                Tensor p = Tensor.zeros(DType.F32, shape).requiresGrad_(true);
                NDArray g = golden.get("grad." + c + "." + i);
                if (g != null) {
                    p.setGrad(Tensor.of(g.copy()));
                }
                params.add(p);
            }
            double norm = ClipGrad.clipGradNorm(params, cs.get("max_norm").asDouble(), normType);
            double expected = golden.get("norm." + c).item();
            assertEquals(expected, norm, 1e-6 * expected, "case " + c + " " + cs + ": total norm");
            for (int i = 0; i < params.size(); i++) {
                NDArray want = golden.get("clipped." + c + "." + i);
                if (want == null) {
                    assertEquals(null, params.get(i).grad(), "case " + c + ": a missing gradient stays missing");
                } else {
                    assertClose(want, params.get(i).grad().data(), F32_TOL, "case " + c + " " + cs + ": gradient " + i);
                }
            }
        }
    }

    /** Relative 2-norm error, as the conformance suite measures it. */
    static void assertClose(NDArray expected, NDArray actual, double tol, String what) {
        assertArrayEquals(expected.dims(), actual.dims(), what + ": shape");
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        double diff = 0;
        double ref = 0;
        for (int i = 0; i < e.length; i++) {
            diff += (e[i] - a[i]) * (e[i] - a[i]);
            ref += e[i] * e[i];
        }
        double err = Math.sqrt(diff) / Math.max(Math.sqrt(ref), 1e-30);
        assertTrue(err <= tol, what + ": relative error " + err + " > " + tol);
    }
}
