package org.weft.autograd;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Grad-mode scopes switch recording off and restore the previous mode on exit, even on an exception. */
class GradModeTest {

    @Test
    void nothingIsRecordedInsideADisabledScope() {
        Tensor x = Tensor.of(new double[] {1}, 1).requiresGrad_(true);
        Tensor y;
        try (var g = Grad.disabled()) {
            y = x.mul(2);
            assertFalse(Grad.isEnabled());
        }
        assertTrue(Grad.isEnabled());
        assertFalse(y.requiresGrad());
        assertTrue(y.isLeaf());
    }

    @Test
    void scopesNestAndRestore() {
        try (var outer = Grad.disabled()) {
            try (var inner = Grad.enabled()) {
                assertTrue(Grad.isEnabled());
            }
            assertFalse(Grad.isEnabled());
        }
        assertTrue(Grad.isEnabled());
    }

    @Test
    void anExceptionInsideTheScopeStillRestoresTheMode() {
        assertThrows(IllegalStateException.class, () -> {
            try (var g = Grad.disabled()) {
                throw new IllegalStateException("boom");
            }
        });
        assertTrue(Grad.isEnabled());
    }

    @Test
    void theModeIsPerThread() throws InterruptedException {
        boolean[] seen = new boolean[1];
        try (var g = Grad.disabled()) {
            Thread t = new Thread(() -> seen[0] = Grad.isEnabled());
            t.start();
            t.join();
        }
        assertTrue(seen[0]);
    }
}
