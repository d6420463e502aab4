package org.weft.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.weft.autograd.RemovableHandle;
import org.weft.autograd.Tensor;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;

/** Module as PyTorch's nn.Module: names, state dicts, modes, freezing, hooks, apply, dtype moves. */
class ModuleTest {

    /** Children registered first, then an own parameter and buffers, as a PyTorch class may assign them. */
    static final class Block extends Module {
        final Conv2d conv = register("conv", new Conv2d(2, 3, 1));
        final BatchNorm2d bn = register("bn", new BatchNorm2d(3));
        final Tensor gamma = registerParameter("gamma", Tensor.ones(3));
        final Tensor steps = registerBuffer("steps", Tensor.zeros(DType.I64));
        final Tensor cache = registerBuffer("cache", Tensor.zeros(3), false);

        @Override
        protected Tensor forward(Tensor x) {
            return bn.call(conv.call(x)).mul(gamma.reshape(1, 3, 1, 1));
        }
    }

    /** A model whose head is read through child("fc"), so replacing it changes what runs. */
    static final class Net extends Module {
        Net() {
            register("body", new Sequential(new Linear(4, 5), new ReLU()));
            register("fc", new Linear(5, 3));
        }

        @Override
        protected Tensor forward(Tensor x) {
            return child("fc").call(child("body").call(x));
        }
    }

    private static List<String> keys(Map<String, ?> map) {
        return new ArrayList<>(map.keySet());
    }

    private static Tensor randn(int... shape) {
        return Tensor.of(NDArray.zeros(DType.F32, org.weft.tensor.Device.CPU, shape).normal_(0, 1, null));
    }

    // ---------------------------------------------------------------- names and order

    @Test
    void namesFollowPyTorchAttributePaths() {
        Sequential model = new Sequential(new Block(), new Sequential(new Linear(3, 2)));
        assertEquals(List.of("", "0", "0.conv", "0.bn", "1", "1.0"), keys(model.namedModules()));
        assertEquals(List.of("0.gamma", "0.conv.weight", "0.conv.bias", "0.bn.weight", "0.bn.bias", "1.0.weight",
                "1.0.bias"), keys(model.namedParameters()));
        assertEquals(List.of("0.steps", "0.cache", "0.bn.running_mean", "0.bn.running_var",
                "0.bn.num_batches_tracked"), keys(model.namedBuffers()));
        assertSame(model.get(0), model.module("0"));
        assertSame(((Block) model.get(0)).bn, model.module("0.bn"));
        assertSame(model, model.module(""));
    }

    @Test
    void stateDictListsOwnParametersThenBuffersThenChildren() {
        Block block = new Block();
        assertEquals(List.of("gamma", "steps", "conv.weight", "conv.bias", "bn.weight", "bn.bias",
                "bn.running_mean", "bn.running_var", "bn.num_batches_tracked"), keys(block.stateDict()));
    }

    @Test
    void stateDictTensorsAreTheModulesOwnDetached() {
        Linear lin = new Linear(3, 2);
        Tensor w = lin.stateDict().get("weight");
        assertFalse(w.requiresGrad());
        w.data().fill_(0.25);
        assertEquals(0.25, lin.weight().data().getDouble(1, 2));
    }

    @Test
    void aSharedModuleHasItsParametersOnceButItsStateUnderEveryPath() {
        Linear shared = new Linear(2, 2);
        Sequential model = new Sequential(shared, new ReLU(), shared);
        assertEquals(List.of("0.weight", "0.bias"), keys(model.namedParameters()));
        assertEquals(List.of("", "0", "1"), keys(model.namedModules()));
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), keys(model.stateDict()));
        assertSame(shared, model.module("2"));
    }

    @Test
    void registrationRejectsDuplicateAndDottedNames() {
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class, () -> new Module() {
            {
                registerParameter("w", Tensor.ones(1));
                registerBuffer("w", Tensor.ones(1));
            }

            @Override
            protected Tensor forward(Tensor x) {
                return x;
            }
        });
        assertTrue(dup.getMessage().contains("already has an attribute 'w'"), dup.getMessage());
        IllegalArgumentException dotted = assertThrows(IllegalArgumentException.class,
                () -> new ModuleDict().put("a.b", new ReLU()));
        assertTrue(dotted.getMessage().contains("'a.b'"), dotted.getMessage());
    }

    @Test
    void aParameterMustBeALeafAndRequiresGrad() {
        Linear lin = new Linear(2, 2);
        assertTrue(lin.weight().requiresGrad());
        Tensor made = Tensor.ones(2).requiresGrad_(true).mul(2);
        assertThrows(IllegalArgumentException.class, () -> new Module() {
            {
                registerParameter("p", made);
            }

            @Override
            protected Tensor forward(Tensor x) {
                return x;
            }
        });
    }

    @Test
    void moduleLooksUpPathsAndNamesTheMissingOne() {
        Net net = new Net();
        assertTrue(net.module("body.0") instanceof Linear);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.module("body.7"));
        assertTrue(e.getMessage().contains("'body.7'"), e.getMessage());
    }

    // ---------------------------------------------------------------- loading

    @Test
    void strictLoadListsMissingUnexpectedAndMisShapedKeysAndCopiesNothing() {
        Block block = new Block();
        Map<String, Tensor> state = new LinkedHashMap<>(new Block().stateDict());
        state.remove("conv.bias");
        state.remove("gamma");
        state.put("conv.extra", Tensor.ones(1));
        state.put("bn.weight", Tensor.ones(4));
        state.put("steps", Tensor.full(7, DType.I64));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> block.loadStateDict(state, true));
        String msg = e.getMessage();
        assertTrue(msg.contains("Missing keys (2): [gamma, conv.bias]"), msg);
        assertTrue(msg.contains("Unexpected keys (1): [conv.extra]"), msg);
        assertTrue(msg.contains("bn.weight: checkpoint has [4], model has [3]"), msg);
        assertEquals(0, block.steps.data().itemLong(), "a failed load must copy nothing");
    }

    @Test
    void nonStrictLoadCopiesMatchingKeysAndReportsTheRest() {
        Linear lin = new Linear(2, 3);
        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put("weight", Tensor.of(NDArray.of(new double[] {1, 2, 3, 4, 5, 6}, 3, 2)));
        state.put("head.weight", Tensor.ones(1));
        Module.LoadResult result = lin.loadStateDict(state, false);
        assertEquals(List.of("bias"), result.missingKeys());
        assertEquals(List.of("head.weight"), result.unexpectedKeys());
        assertEquals(DType.F32, lin.weight().dtype(), "F64 values are converted into the F32 parameter");
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, lin.weight().data().toFloatArray());
    }

    @Test
    void misShapedKeysFailEvenANonStrictLoad() {
        Linear lin = new Linear(2, 3);
        Map<String, Tensor> state = new LinkedHashMap<>(lin.stateDict());
        state.put("bias", Tensor.zeros(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> lin.loadStateDict(state, false));
        assertTrue(e.getMessage().contains("Size mismatch for bias: checkpoint has [2], model has [3]"),
                e.getMessage());
    }

    @Test
    void aCheckpointWithoutNumBatchesTrackedLoadsStrictlyWithCountZero() {
        BatchNorm2d bn = new BatchNorm2d(2);
        bn.call(randn(3, 2, 2, 2));
        assertEquals(1, bn.numBatchesTracked().data().itemLong());
        Map<String, Tensor> state = new LinkedHashMap<>(new BatchNorm2d(2).stateDict());
        state.remove("num_batches_tracked");
        bn.loadStateDict(state, true);
        assertEquals(0, bn.numBatchesTracked().data().itemLong());
    }

    // ---------------------------------------------------------------- modes, freezing, conversion

    @Test
    void trainAndEvalReachEveryDescendant() {
        Net net = new Net();
        net.eval();
        for (Module m : net.namedModules().values()) {
            assertFalse(m.isTraining(), m.getClass().getSimpleName());
        }
        net.module("body").train();
        assertFalse(net.isTraining());
        assertTrue(net.module("body.1").isTraining());
        net.train();
        for (Module m : net.namedModules().values()) {
            assertTrue(m.isTraining(), m.getClass().getSimpleName());
        }
    }

    @Test
    void aFrozenSubtreeGetsNoGradientsButPassesThemOn() {
        Net net = new Net();
        net.module("body").requiresGrad_(false);
        Tensor x = randn(2, 4).requiresGrad_(true);
        net.call(x).sum().backward();
        assertNull(net.module("body.0").namedParameters().get("weight").grad());
        assertNull(net.module("body.0").namedParameters().get("bias").grad());
        assertNotNull(net.module("fc").namedParameters().get("weight").grad());
        assertNotNull(x.grad(), "the input still gets its gradient through the frozen layers");
        net.requiresGrad_(true);
        assertTrue(net.parameters().stream().allMatch(Tensor::requiresGrad));
    }

    @Test
    void zeroGradClearsEveryParameterGradient() {
        Net net = new Net();
        net.call(randn(2, 4)).sum().backward();
        assertTrue(net.parameters().stream().allMatch(p -> p.grad() != null));
        net.zeroGrad();
        assertTrue(net.parameters().stream().allMatch(p -> p.grad() == null));
    }

    @Test
    void toF64ConvertsFloatingTensorsInPlaceAndKeepsTheirIdentity() {
        Block block = new Block();
        List<Tensor> before = block.parameters();
        float[] weight = block.conv.weight().data().toFloatArray();
        block.to(DType.F64);
        List<Tensor> after = block.parameters();
        for (int i = 0; i < before.size(); i++) {
            assertSame(before.get(i), after.get(i));
            assertEquals(DType.F64, after.get(i).dtype());
            assertTrue(after.get(i).requiresGrad());
        }
        double[] converted = block.conv.weight().data().toDoubleArray();
        for (int i = 0; i < weight.length; i++) {
            assertEquals(weight[i], converted[i]);
        }
        assertEquals(DType.F64, block.bn.runningMean().dtype());
        assertEquals(DType.I64, block.bn.numBatchesTracked().dtype(), "integer buffers keep their dtype");
        assertEquals(DType.I64, block.steps.dtype());
        Tensor y = block.call(Tensor.of(NDArray.zeros(DType.F64, org.weft.tensor.Device.CPU, 2, 2, 3, 3)));
        assertEquals(DType.F64, y.dtype());
        assertThrows(IllegalArgumentException.class, () -> block.to(DType.I64));
        block.to(org.weft.tensor.Device.CPU);
        assertSame(before.get(0), block.parameters().get(0));
    }

    @Test
    void applyVisitsChildrenBeforeTheirParent() {
        Sequential inner = new Sequential(new Linear(2, 2));
        Sequential outer = new Sequential(new Linear(2, 2), inner);
        List<String> visited = new ArrayList<>();
        outer.apply(m -> visited.add(m == outer ? "outer" : m == inner ? "inner" : m.getClass().getSimpleName()));
        assertEquals(List.of("Linear", "Linear", "inner", "outer"), visited);
        outer.apply(m -> {
            if (m instanceof Linear) {
                Init.constant_(((Linear) m).weight(), 0.5);
            }
        });
        for (Map.Entry<String, Tensor> p : outer.namedParameters().entrySet()) {
            if (p.getKey().endsWith("weight")) {
                for (float v : p.getValue().data().toFloatArray()) {
                    assertEquals(0.5f, v);
                }
            }
        }
    }

    // ---------------------------------------------------------------- replacing children

    @Test
    void replacingAHeadChangesWhatRunsAndTheStateDict() {
        Net net = new Net();
        net.replace("fc", new Linear(5, 7, false));
        assertArrayEquals(new int[] {2, 7}, net.call(randn(2, 4)).shape().dims());
        assertEquals(List.of("body.0.weight", "body.0.bias", "fc.weight"), keys(net.stateDict()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.replace("head", new Identity()));
        assertTrue(e.getMessage().contains("no submodule 'head'") && e.getMessage().contains("[body, fc]"),
                e.getMessage());
    }

    @Test
    void containersReplaceByNameKeepingTheirOrder() {
        Sequential seq = new Sequential(new Linear(3, 3), new ReLU(), new Linear(3, 2));
        seq.replace("1", new Identity());
        assertTrue(seq.get(1) instanceof Identity);
        Tensor x = randn(4, 3).neg().abs().neg(); // all non-positive: a ReLU would zero them
        Tensor viaParts = ((Linear) seq.get(2)).call(((Linear) seq.get(0)).call(x));
        assertArrayEquals(viaParts.data().toFloatArray(), seq.call(x).data().toFloatArray());

        ModuleDict dict = new ModuleDict().put("a", new ReLU()).put("b", new Tanh());
        dict.put("a", new Sigmoid());
        assertEquals(List.of("a", "b"), keys(dict.namedChildren()));
        assertTrue(dict.get("a") instanceof Sigmoid);
        Map<String, Module> named = new LinkedHashMap<>();
        named.put("conv0", new Conv2d(1, 2, 3));
        named.put("relu0", new ReLU());
        Sequential features = new Sequential(named);
        features.replace("relu0", new Tanh());
        assertTrue(features.get(1) instanceof Tanh);
        assertEquals(List.of("conv0.weight", "conv0.bias"), keys(features.stateDict()));
        ModuleList list = new ModuleList(new ReLU(), new Tanh());
        list.replace("0", new GELU());
        assertTrue(list.get(0) instanceof GELU);
    }

    // ---------------------------------------------------------------- hooks

    @Test
    void aPreHookCanReplaceTheInputAndAHookTheOutput() {
        Identity id = new Identity();
        List<Tensor> seen = new ArrayList<>();
        RemovableHandle pre = id.registerForwardPreHook((m, x) -> x.mul(2));
        RemovableHandle post = id.registerForwardHook((m, x, y) -> {
            seen.add(x);
            seen.add(y);
            return y.add(1);
        });
        Tensor x = Tensor.of(NDArray.of(new float[] {1, 2}, 2));
        assertArrayEquals(new float[] {3, 5}, id.call(x).data().toFloatArray());
        assertArrayEquals(new float[] {2, 4}, seen.get(0).data().toFloatArray(), "the hook sees the replaced input");
        assertArrayEquals(new float[] {2, 4}, seen.get(1).data().toFloatArray());
        pre.remove();
        assertArrayEquals(new float[] {2, 3}, id.call(x).data().toFloatArray());
        post.remove();
        assertSame(x, id.call(x));
        assertEquals(4, seen.size(), "a removed hook no longer runs");
    }

    @Test
    void hooksRunInRegistrationOrderAndEachHandleRemovesItsOwnRegistration() {
        Identity id = new Identity();
        Module.ForwardHook addOne = (m, x, y) -> y.add(1);
        RemovableHandle first = id.registerForwardHook(addOne);
        id.registerForwardHook((m, x, y) -> y.mul(10));
        RemovableHandle third = id.registerForwardHook(addOne);
        Tensor x = Tensor.zeros(1);
        assertEquals(11, id.call(x).data().getDouble(0)); // ((0 + 1) * 10) + 1
        third.remove();
        assertEquals(10, id.call(x).data().getDouble(0));
        third.remove(); // removing twice is harmless
        first.remove();
        assertEquals(0, id.call(x).data().getDouble(0));
    }

    @Test
    void aHookReturningNullKeepsTheOutputAndSeesSubmodulesRunInsideTheParent() {
        Net net = new Net();
        List<int[]> taps = new ArrayList<>();
        net.module("body.1").registerForwardHook((m, x, y) -> {
            taps.add(y.shape().dims());
            return null;
        });
        net.call(randn(2, 4));
        assertEquals(1, taps.size());
        assertArrayEquals(new int[] {2, 5}, taps.get(0));
    }

    @Test
    void hooksReceiveTheGraphSoGradCamCanTakeGradientsOfActivations() {
        Net net = new Net();
        Tensor[] activation = new Tensor[1];
        net.module("body").registerForwardHook((m, x, y) -> {
            y.retainGrad();
            activation[0] = y;
            return null;
        });
        net.call(randn(3, 4)).sum().backward();
        assertNotNull(activation[0].grad());
        assertArrayEquals(new int[] {3, 5}, activation[0].grad().shape().dims());
    }

    @Test
    void toStringShowsTheTreeAsPyTorchPrintsIt() {
        String s = new Sequential(new Linear(2, 3), new ReLU()).toString();
        assertEquals("Sequential(\n  (0): Linear(in_features=2, out_features=3, bias=true)\n  (1): ReLU()\n)", s);
    }
}
