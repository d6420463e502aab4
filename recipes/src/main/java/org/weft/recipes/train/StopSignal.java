package org.weft.recipes.train;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C as a request to stop cleanly: the first one asks the {@link Trainer} to finish the current step,
 * write a checkpoint and stop; a second one ends the process at once. Tests raise the request with
 * {@link #request()} instead of a signal.
 *
 * <p>{@link #install} catches SIGINT with {@code sun.misc.Signal} (module jdk.unsupported, present in every
 * JDK 17). Where that is missing, a shutdown hook is the fallback: Ctrl-C then starts the JVM's shutdown,
 * and the hook holds it until the trainer has written its checkpoint (a minute at most).
 */
public final class StopSignal implements AutoCloseable {

    /** The exit status of a process ended by SIGINT, as shells report it (128 + 2). */
    public static final int EXIT_STATUS = 130;

    private volatile boolean requested;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private PrintStream log;
    private Object previousHandler;
    private Thread hook;

    /** A signal nobody can raise but {@link #request()}: for tests and for runs inside other programs. */
    public StopSignal() {
    }

    /** Catches Ctrl-C in this process until {@link #close()}; messages about it go to {@code log}. */
    public static StopSignal install(PrintStream log) {
        StopSignal signal = new StopSignal();
        signal.log = log;
        try {
            signal.previousHandler = sun.misc.Signal.handle(new sun.misc.Signal("INT"), s -> signal.interrupt());
        } catch (LinkageError | IllegalArgumentException e) {
            // No SIGINT handling here (a JDK without jdk.unsupported, or a VM that reserves the signal).
            signal.hook = new Thread(signal::holdShutdown, "weft-stop");
            Runtime.getRuntime().addShutdownHook(signal.hook);
        }
        return signal;
    }

    /** Asks the training to stop after its current step. */
    public void request() {
        requested = true;
    }

    public boolean requested() {
        return requested;
    }

    /** Called by the trainer once its checkpoint is written, releasing a shutdown hook that waits for it. */
    void stopped() {
        stopped.countDown();
    }

    private void interrupt() {
        if (requested) {
            // The second Ctrl-C: the user does not want to wait. The last checkpoint on disk is whole (atomic writes).
            Runtime.getRuntime().halt(EXIT_STATUS);
        }
        requested = true;
        if (log != null) {
            log.println();
            log.println("stopping after this step to write a checkpoint (Ctrl-C again to quit at once)");
        }
    }

    private void holdShutdown() {
        requested = true;
        try {
            stopped.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Gives SIGINT back to whoever handled it before. */
    @Override
    public void close() {
        if (previousHandler instanceof sun.misc.SignalHandler previous) {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), previous);
        }
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // Already shutting down: the hook is running and will end by itself.
            }
        }
    }
}
