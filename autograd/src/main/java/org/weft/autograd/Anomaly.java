package org.weft.autograd;

/**
 * Anomaly mode: while on, every recorded op remembers where its forward was called, and the
 * backward pass fails at the first op that produces a NaN or infinite gradient, naming that
 * op and its forward call site. Costs a stack trace per op and a scan per gradient; for
 * debugging, as PyTorch's {@code detect_anomaly}.
 */
public final class Anomaly {

    private static volatile boolean enabled;

    private Anomaly() {
    }

    public static boolean isEnabled() {
        return enabled;
    }

    /** Turns anomaly mode on until the scope closes. */
    public static Scope enabled() {
        boolean previous = enabled;
        enabled = true;
        return () -> enabled = previous;
    }

    /** Restores the previous anomaly mode when closed. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** Where a recorded op's forward was called: a Throwable whose stack trace is that site. */
    static final class ForwardCallSite extends Throwable {
        private static final long serialVersionUID = 1L;

        ForwardCallSite(String op) {
            super("forward call of " + op);
        }
    }

    /** Thrown by backward in anomaly mode; its cause is the forward call site of the op. */
    public static final class AnomalyException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        AnomalyException(String message, Throwable forwardSite) {
            super(message, forwardSite);
        }
    }
}
