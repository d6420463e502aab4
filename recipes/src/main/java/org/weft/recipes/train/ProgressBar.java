package org.weft.recipes.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The progress of one epoch as the user sees it. On a terminal it is one line redrawn in place with a
 * carriage return: epoch, step/steps, a bar, throughput, ETA and running loss. Elsewhere (a log file, a CI
 * job) carriage returns would pile up, so it prints the same facts as plain lines, about ten per epoch and
 * at least one every {@value #PLAIN_SECONDS} seconds. One mode or the other, never both.
 */
public final class ProgressBar {

    static final int PLAIN_SECONDS = 30;
    private static final int BAR_WIDTH = 24;
    /** A terminal is redrawn at most this often, so that fast steps do not flood it. */
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier nanoTime;

    private String label;
    private int steps;
    private int firstStep;
    private long start;
    private long lastPrint;
    private int lastPrintedStep;
    private long images;
    private double lossSum;
    private int lossCount;
    private int lastWidth;
    private boolean open;

    /**
     * @param terminal whether {@code out} is a terminal ({@code System.console() != null} for standard output)
     * @param nanoTime the clock ({@code System::nanoTime}; tests pass their own)
     */
    public ProgressBar(PrintStream out, boolean terminal, LongSupplier nanoTime) {
        this.out = out;
        this.terminal = terminal;
        this.nanoTime = nanoTime;
    }

    /** A bar on {@code out}, drawn in place when this process's standard output is a terminal. */
    public static ProgressBar forOutput(PrintStream out) {
        return new ProgressBar(out, System.console() != null, System::nanoTime);
    }

    public boolean terminal() {
        return terminal;
    }

    /** Starts an epoch of {@code steps} steps whose first {@code firstStep} were done before (a resumed epoch). */
    public void startEpoch(String label, int steps, int firstStep) {
        this.label = label;
        this.steps = steps;
        this.firstStep = firstStep;
        this.start = nanoTime.getAsLong();
        this.lastPrint = start;
        this.lastPrintedStep = firstStep;
        this.images = 0;
        this.lossSum = 0;
        this.lossCount = 0;
        this.lastWidth = 0;
    }

    /**
     * Records that step {@code step} (1-based within the epoch) is done.
     *
     * @param batchImages the images the step consumed, or 0 when unknown (the bar then shows steps/s)
     * @param loss the step's loss, or NaN when the task reports none
     */
    public void step(int step, long batchImages, double loss) {
        images += batchImages;
        if (!Double.isNaN(loss)) {
            lossSum += loss;
            lossCount++;
        }
        long now = nanoTime.getAsLong();
        if (terminal) {
            if (now - lastPrint >= REDRAW_NANOS || step == steps) {
                draw(step, now);
                lastPrint = now;
            }
        } else {
            int every = Math.max(1, steps / 10);
            if (step == steps || step - lastPrintedStep >= every || now - lastPrint >= PLAIN_SECONDS * 1_000_000_000L) {
                out.println(line(step, now, false));
                lastPrint = now;
                lastPrintedStep = step;
            }
        }
    }

    /** Ends the redrawn line so that what is printed next starts on a line of its own; nothing in plain mode. */
    public void finish() {
        if (terminal && open) {
            out.println();
            open = false;
        }
    }

    private void draw(int step, long now) {
        String text = line(step, now, true);
        // Spaces cover what a longer previous line left on the screen.
        int pad = Math.max(0, lastWidth - text.length());
        out.print("\r" + text + " ".repeat(pad));
        out.flush();
        lastWidth = text.length();
        open = true;
    }

    private String line(int step, long now, boolean withBar) {
        StringBuilder s = new StringBuilder(label).append("  ").append(step).append('/').append(steps);
        if (withBar) {
            int filled = steps == 0 ? BAR_WIDTH : (int) ((long) BAR_WIDTH * step / steps);
            s.append(" [").append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append(']');
        }
        double seconds = (now - start) / 1e9;
        int done = step - firstStep;
        if (seconds > 0 && done > 0) {
            if (images > 0) {
                s.append(String.format(Locale.ROOT, "  %.0f images/s", images / seconds));
            } else {
                s.append(String.format(Locale.ROOT, "  %.2f steps/s", done / seconds));
            }
            s.append("  ETA ").append(duration(seconds / done * (steps - step)));
        }
        if (lossCount > 0) {
            s.append(String.format(Locale.ROOT, "  loss %.4f", lossSum / lossCount));
        }
        return s.toString();
    }

    /** {@code m:ss}, or {@code h:mm:ss} from an hour on. */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
