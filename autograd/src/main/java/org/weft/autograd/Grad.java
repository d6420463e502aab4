package org.weft.autograd;

/**
 * Grad mode: whether ops record the graph. On by default; switched off for a scope with
 * {@code try (var g = Grad.disabled()) { ... }}, as PyTorch's {@code torch.no_grad()}.
 * The mode is per thread.
 */
public final class Grad {

    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private Grad() {
    }

    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** A scope in which no graph is recorded; closing it restores the previous mode. */
    public static Scope disabled() {
        return set(false);
    }

    /** A scope in which the graph is recorded, even inside a disabled one. */
    public static Scope enabled() {
        return set(true);
    }

    /** A scope with the mode given. */
    public static Scope set(boolean enabled) {
        boolean[] flag = ENABLED.get();
        boolean previous = flag[0];
        flag[0] = enabled;
        return new Scope(flag, previous);
    }

    /** Restores the previous grad mode when closed. */
    public static final class Scope implements AutoCloseable {
        private final boolean[] flag;
        private final boolean previous;

        private Scope(boolean[] flag, boolean previous) {
            this.flag = flag;
            this.previous = previous;
        }

        @Override
        public void close() {
            flag[0] = previous;
        }
    }
}
