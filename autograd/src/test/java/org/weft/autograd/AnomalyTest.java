package org.weft.autograd;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** In anomaly mode a NaN or infinite gradient names its op and where its forward was called. */
class AnomalyTest {

    private static Tensor reciprocalAtZero(Tensor x) {
        return Tensor.of(new double[] {1}, 1).div(x); // d(1/x)/dx = -1/x^2 = -inf at 0
    }

    @Test
    void anInfiniteGradientIsReportedWithTheForwardCallSite() {
        Tensor x = Tensor.of(new double[] {0}, 1).requiresGrad_(true);
        Anomaly.AnomalyException e;
        try (var a = Anomaly.enabled()) {
            Tensor y = reciprocalAtZero(x).sum();
            e = assertThrows(Anomaly.AnomalyException.class, y::backward);
        }
        assertTrue(e.getMessage().contains("DivBackward"), e.getMessage());
        assertTrue(e.getMessage().contains("inf"), e.getMessage());
        StringWriter trace = new StringWriter();
        e.getCause().printStackTrace(new PrintWriter(trace));
        assertTrue(trace.toString().contains("reciprocalAtZero"), trace.toString());
    }

    @Test
    void withoutAnomalyModeTheInfinityJustPropagates() {
        Tensor x = Tensor.of(new double[] {0}, 1).requiresGrad_(true);
        Tensor y = reciprocalAtZero(x).sum();
        assertDoesNotThrow(() -> y.backward());
        assertTrue(Double.isInfinite(x.grad().toDoubleArray()[0]));
    }

    @Test
    void theScopeRestoresTheMode() {
        try (var a = Anomaly.enabled()) {
            assertTrue(Anomaly.isEnabled());
        }
        assertTrue(!Anomaly.isEnabled());
    }
}
