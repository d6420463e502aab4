package org.weft.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.weft.autograd.Tensor;
import org.weft.tensor.NDArray;

/** Optimisers and schedulers refuse bad arguments with messages that say what was expected and what came. */
class OptimizerArgumentsTest {

    private static Tensor param(int... shape) {
        return Tensor.zeros(shape).requiresGrad_(true);
    }

    private static void assertRefused(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' should contain '" + f + "'");
        }
    }

    @Test
    void negativeLearningRate() {
        assertRefused(() -> new SGD(List.of(param(2)), SGD.options().lr(-0.1)), "SGD", "Invalid learning rate: -0.1");
        assertRefused(() -> new Adam(List.of(param(2)), Adam.options().lr(-1)), "Adam", "Invalid learning rate: -1.0");
        assertRefused(() -> new SGD(SGD.options().lr(0.1), ParamGroup.of(List.of(param(2))).set("lr", -0.5)),
                "Invalid learning rate: -0.5", "parameter group 0");
    }

    @Test
    void sgdLearningRateHasNoDefault() {
        assertRefused(() -> new SGD(List.of(param(2)), SGD.options()), "learning rate has no default");
    }

    @Test
    void betasOutOfRange() {
        assertRefused(() -> new Adam(List.of(param(2)), Adam.options().betas(1.0, 0.999)),
                "Invalid beta parameter at index 0: 1.0");
        assertRefused(() -> new AdamW(List.of(param(2)), AdamW.options().betas(0.9, -0.1)),
                "AdamW", "Invalid beta parameter at index 1: -0.1");
        assertRefused(() -> new Adam(Adam.options(), ParamGroup.of(List.of(param(2))).set("betas", new double[] {0.9})),
                "betas must be a pair");
    }

    @Test
    void otherInvalidHyperParameters() {
        assertRefused(() -> new Adam(List.of(param(2)), Adam.options().eps(-1e-8)), "Invalid epsilon value");
        assertRefused(() -> new SGD(List.of(param(2)), SGD.options().lr(0.1).momentum(-0.9)), "Invalid momentum value");
        assertRefused(() -> new SGD(List.of(param(2)), SGD.options().lr(0.1).weightDecay(-1)), "Invalid weight_decay value");
        assertRefused(() -> new SGD(List.of(param(2)), SGD.options().lr(0.1).nesterov(true)),
                "Nesterov momentum requires a momentum and zero dampening");
        assertRefused(() -> new SGD(List.of(param(2)), SGD.options().lr(0.1).momentum(0.9).dampening(0.1).nesterov(true)),
                "Nesterov momentum requires a momentum and zero dampening");
        assertRefused(() -> new SGD(SGD.options().lr(0.1), ParamGroup.of(List.of(param(2))).set("momentun", 0.9)),
                "unknown hyper-parameter 'momentun'", "momentum");
    }

    @Test
    void parameterListedTwice() {
        Tensor p = param(2);
        assertRefused(() -> new SGD(List.of(p, param(3), p), SGD.options().lr(0.1)), "appears twice in one parameter group");
        assertRefused(() -> new SGD(SGD.options().lr(0.1), ParamGroup.of(List.of(p)), ParamGroup.of(List.of(param(1), p))),
                "some parameters appear in more than one parameter group", "parameter group 1");
    }

    @Test
    void nonLeafParameter() {
        Tensor leaf = param(2);
        Tensor made = leaf.mul(2.0);
        assertRefused(() -> new Adam(List.of(leaf, made), Adam.options()), "can't optimize a non-leaf Tensor");
    }

    @Test
    void emptyParameterList() {
        assertRefused(() -> new SGD(List.of(), SGD.options().lr(0.1)), "optimizer got an empty parameter list");
    }

    @Test
    void groupsTakeMissingOptionsFromDefaults() {
        ParamGroup head = ParamGroup.of(List.of(param(2))).set("lr", 0.5);
        SGD sgd = new SGD(SGD.options().lr(0.1).momentum(0.9), ParamGroup.of(List.of(param(3))), head);
        assertEquals(0.1, sgd.paramGroups().get(0).lr());
        assertEquals(0.5, sgd.paramGroups().get(1).lr());
        assertEquals(0.9, sgd.paramGroups().get(1).getDouble("momentum"));
        // The optimiser keeps the caller's group: changing it changes the next step.
        head.setLr(0.25);
        assertEquals(0.25, sgd.paramGroups().get(1).lr());
    }

    @Test
    void zeroGradClearsAndStepSkipsMissingGradients() {
        Tensor a = param(2);
        Tensor b = param(2);
        SGD sgd = new SGD(List.of(a, b), SGD.options().lr(1.0).momentum(0.9));
        a.setGrad(Tensor.of(new float[] {1, 2}, 2));
        sgd.step();
        assertEquals(-1.0, a.data().getDouble(0));
        assertEquals(0.0, b.data().getDouble(0), "a parameter without a gradient does not move");
        assertTrue(sgd.state(b).isEmpty(), "nor gets momentum");
        sgd.zeroGrad();
        assertNull(a.grad());
    }

    @Test
    void loadStateDictRefusesAnotherShape() {
        SGD sgd = new SGD(List.of(param(2), param(3)), SGD.options().lr(0.1).momentum(0.9));
        SGD other = new SGD(List.of(param(2)), SGD.options().lr(0.1).momentum(0.9));
        assertRefused(() -> other.loadStateDict(sgd.stateDict()),
                "loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
        SGD twoGroups = new SGD(SGD.options().lr(0.1), ParamGroup.of(List.of(param(2))), ParamGroup.of(List.of(param(3))));
        assertRefused(() -> twoGroups.loadStateDict(sgd.stateDict()), "different number of parameter groups");
        Adam adam = new Adam(List.of(param(2), param(3)), Adam.options());
        assertRefused(() -> adam.loadStateDict(sgd.stateDict()), "a state dict of another optimizer?");
        Optimizer.StateDict wrongShape = new Optimizer.StateDict(Map.of("1.momentum_buffer", NDArray.zeros(4)),
                sgd.stateDict().paramGroups());
        assertRefused(() -> sgd.loadStateDict(wrongShape), "'1.momentum_buffer' has shape [4]", "parameter 1 has shape [3]");
        Optimizer.StateDict badIndex = new Optimizer.StateDict(Map.of("7.momentum_buffer", NDArray.zeros(2)),
                sgd.stateDict().paramGroups());
        assertRefused(() -> sgd.loadStateDict(badIndex), "'7.momentum_buffer' does not name a parameter");
    }

    @Test
    void schedulerArguments() {
        SGD sgd = new SGD(List.of(param(2)), SGD.options().lr(0.1));
        assertRefused(() -> new StepLR(sgd, 0, 0.1), "stepSize must be at least 1, got 0");
        assertRefused(() -> new MultiStepLR(sgd, new int[] {2, -1}, 0.1), "milestones must be non-negative");
        assertRefused(() -> new WarmupCosineLR(sgd, 5, 5, 0.1, 0), "expected 0 <= warmupSteps < totalSteps");
        assertRefused(() -> new WarmupCosineLR(sgd, 1, 5, 0, 0), "warmupStartFactor must be in (0, 1]");
        assertRefused(() -> new LambdaLR(sgd, List.of(t -> 1.0, t -> 2.0)), "expected 1 lr lambdas", "got 2");
        StepLR step = new StepLR(sgd, 2, 0.5);
        Map<String, Object> state = new java.util.LinkedHashMap<>(step.stateDict());
        state.put("gamma", 0.1);
        assertRefused(() -> step.loadStateDict(state), "saved gamma is 0.1 but this scheduler has 0.5");
        assertRefused(() -> step.loadStateDict(new MultiStepLR(sgd, new int[] {1}, 0.1).stateDict()),
                "the state is of a MultiStepLR, not a StepLR");
    }

    @Test
    void clipGradNormArguments() {
        assertRefused(() -> ClipGrad.clipGradNorm(List.of(param(2)), 1.0, Double.NaN), "normType must be a number");
        assertRefused(() -> ClipGrad.clipGradNorm(List.of(param(2)), -1.0), "maxNorm must be non-negative, got -1.0");
        Tensor p = param(2);
        p.setGrad(Tensor.of(new float[] {Float.POSITIVE_INFINITY, 1}, 2));
        assertRefused(() -> ClipGrad.clipGradNorm(List.of(p), 1.0, 2.0, true), "total norm of order 2.0", "Infinity");
        assertEquals(0.0, ClipGrad.clipGradNorm(List.of(param(3)), 1.0), "no gradients: norm 0");
    }
}
