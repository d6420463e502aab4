package org.weft.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tensor hooks see gradients as they are computed and can replace them. */
class HooksTest {

    @Test
    void aHookOnANonLeafSeesItsGradient() {
        Tensor x = Tensor.of(new double[] {1, 2}, 2).requiresGrad_(true);
        Tensor y = x.mul(3);
        List<double[]> seen = new ArrayList<>();
        y.registerHook(g -> {
            seen.add(g.toDoubleArray());
            return null;
        });
        y.mul(y).sum().backward(); // dL/dy = 2y = 6x
        assertArrayEquals(new double[] {6, 12}, seen.get(0));
        assertArrayEquals(new double[] {18, 36}, x.grad().toDoubleArray());
    }

    @Test
    void aHookCanReplaceTheGradientFlowingUpstream() {
        Tensor x = Tensor.of(new double[] {1, 2}, 2).requiresGrad_(true);
        Tensor y = x.mul(3);
        y.registerHook(g -> g.zerosLike().add(1.0)); // pretend dL/dy = 1
        y.mul(y).sum().backward();
        assertArrayEquals(new double[] {3, 3}, x.grad().toDoubleArray());
    }

    @Test
    void aHookOnALeafChangesWhatAccumulates() {
        Tensor x = Tensor.of(new double[] {1, 2}, 2).requiresGrad_(true);
        x.registerHook(g -> g.mul(10));
        x.sum().backward();
        assertArrayEquals(new double[] {10, 10}, x.grad().toDoubleArray());
    }

    @Test
    void aRemovedHookIsNotCalled() {
        Tensor x = Tensor.of(new double[] {1}, 1).requiresGrad_(true);
        RemovableHandle h = x.registerHook(g -> g.mul(10));
        h.remove();
        x.sum().backward();
        assertArrayEquals(new double[] {1}, x.grad().toDoubleArray());
    }

    @Test
    void hooksAlsoRunForAutogradGrad() {
        Tensor x = Tensor.of(new double[] {1}, 1).requiresGrad_(true);
        x.registerHook(g -> g.mul(2));
        Tensor g = Autograd.grad(x.mul(5).sum(), x);
        assertArrayEquals(new double[] {10}, g.toDoubleArray());
    }

    @Test
    void aHookReturningAnotherShapeIsAnError() {
        Tensor x = Tensor.of(new double[] {1, 2}, 2).requiresGrad_(true);
        x.registerHook(g -> g.sum());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.sum().backward());
        assertTrue(e.getMessage().contains("hook"), e.getMessage());
    }

    @Test
    void aTensorThatDoesNotRequireGradTakesNoHooks() {
        Tensor x = Tensor.of(new double[] {1}, 1);
        assertThrows(IllegalStateException.class, () -> x.registerHook(g -> g));
    }
}
