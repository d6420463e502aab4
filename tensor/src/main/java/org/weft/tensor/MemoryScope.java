package org.weft.tensor;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A region of code, usually one training step, whose device temporaries are released
 * together, deterministically, when it closes.
 *
 * <pre>{@code
 * try (var step = MemoryScope.open()) {
 *     Tensor loss = criterion.call(model.call(x), y);
 *     loss.backward();
 *     optimizer.step();
 *     step.keep(loss.data());   // read after the step
 * }                             // every other array made in the step is released here
 * }</pre>
 *
 * <p>The garbage collector does not know what a device buffer costs, so without a scope
 * device memory would be returned only when the heap happens to fill. Allocators register
 * every {@link Releasable} they make with the innermost scope of the allocating thread
 * ({@link #track}); closing the scope releases, newest first, those not released already
 * and not kept. An array used after its scope closed fails loudly, it never reads freed
 * memory. Parameters, buffers and optimiser state must outlive the step: create them
 * outside any scope, or inside {@link #persistent()}, or move them out with {@link #keep}.
 *
 * <p>Scopes belong to the thread that opened them and nest; they must close in the reverse
 * order of opening (try-with-resources does that). Host (CPU) storage is never tracked:
 * the collector sees its cost.
 */
public final class MemoryScope implements AutoCloseable {

    private static final ThreadLocal<MemoryScope> CURRENT = new ThreadLocal<>();

    private final MemoryScope parent;
    private final boolean tracking;
    private final Thread owner = Thread.currentThread();
    // Insertion order is allocation order, so close() can release newest first.
    private final LinkedHashSet<Releasable> held = new LinkedHashSet<>();
    private boolean closed;

    private MemoryScope(MemoryScope parent, boolean tracking) {
        this.parent = parent;
        this.tracking = tracking;
    }

    /** Opens a scope whose allocations are released when it closes. */
    public static MemoryScope open() {
        return push(true);
    }

    /**
     * Opens a region whose allocations belong to no scope, even inside an open one: for state
     * first created during a step that must outlive it (optimiser moments, running stats).
     */
    public static MemoryScope persistent() {
        return push(false);
    }

    private static MemoryScope push(boolean tracking) {
        MemoryScope s = new MemoryScope(CURRENT.get(), tracking);
        CURRENT.set(s);
        return s;
    }

    /**
     * Called by allocators: registers {@code r} with this thread's innermost scope and returns
     * that scope, or null when the innermost region is persistent or no scope is open.
     */
    public static MemoryScope track(Releasable r) {
        MemoryScope s = CURRENT.get();
        if (s == null || !s.tracking) {
            return null;
        }
        synchronized (s) {
            s.held.add(r);
        }
        return s;
    }

    /**
     * Called by allocators when {@code r} was released early, so that a long scope does not
     * accumulate released resources; forgetting one this scope does not hold is a no-op (it
     * may have been kept into the enclosing scope, which then releases it again, harmlessly).
     */
    public synchronized void forget(Releasable r) {
        held.remove(r);
    }

    /**
     * Lets {@code a}'s storage outlive this scope: it moves to the enclosing scope, or to none
     * (then only the garbage collector frees it) when the enclosing region is not a scope.
     * Host arrays need no keeping and are accepted as they are.
     */
    public NDArray keep(NDArray a) {
        if (a.storage() instanceof Releasable r) {
            keep(r);
        }
        return a;
    }

    /** As {@link #keep(NDArray)}, for an allocator-level resource. */
    public void keep(Releasable r) {
        boolean mine;
        synchronized (this) {
            mine = held.remove(r);
        }
        if (!mine) {
            throw new IllegalArgumentException("keep: this resource was not allocated in this scope"
                    + " (it is already kept, released, or belongs to another scope)");
        }
        MemoryScope target = parent;
        if (target != null && target.tracking) {
            synchronized (target) {
                target.held.add(r);
            }
        }
    }

    /** How many resources this scope would release if it closed now. */
    public synchronized int heldCount() {
        return held.size();
    }

    /** The innermost open scope or persistent region of this thread, or null. */
    public static MemoryScope current() {
        return CURRENT.get();
    }

    public boolean isTracking() {
        return tracking;
    }

    /** Releases every resource still held, newest first, and reopens the enclosing region. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a memory scope must be closed by the thread that opened it ("
                    + owner.getName() + "), not " + Thread.currentThread().getName());
        }
        if (CURRENT.get() != this) {
            throw new IllegalStateException("memory scopes must close in the reverse order of opening;"
                    + " an inner scope opened after this one is still open");
        }
        closed = true;
        CURRENT.set(parent);
        List<Releasable> toRelease;
        synchronized (this) {
            toRelease = new ArrayList<>(held);
            held.clear();
        }
        RuntimeException first = null;
        for (int i = toRelease.size() - 1; i >= 0; i--) {
            try {
                toRelease.get(i).release();
            } catch (RuntimeException e) {
                // Keep releasing: one failure must not leak the rest of the step.
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
