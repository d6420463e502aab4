package org.weft.recipes.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The progress display in both of its modes, on a clock the test moves by hand. */
class ProgressBarTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private long now;

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aTerminalGetsOneLineRedrawnInPlace() {
        ProgressBar bar = new ProgressBar(out, true, () -> now);
        bar.startEpoch("run epoch 1/2", 4, 0);
        for (int step = 1; step <= 4; step++) {
            now += 1_000_000_000L;
            bar.step(step, 32, step);
        }
        bar.finish();
        String text = printed();
        assertEquals(4, text.chars().filter(c -> c == '\r').count(), text);
        assertEquals(1, text.chars().filter(c -> c == '\n').count(), "one newline, at the end: " + text);
        // After 1 s: 32 images/s, 3 steps left at 1 s each, running loss (1) / 1.
        assertTrue(text.startsWith("\rrun epoch 1/2  1/4 [######..................]  32 images/s  ETA 0:03"
                + "  loss 1.0000\r"), text);
        // The last draw: a full bar, no time left, mean loss (1 + 2 + 3 + 4) / 4.
        assertTrue(text.endsWith("\rrun epoch 1/2  4/4 [########################]  32 images/s  ETA 0:00"
                + "  loss 2.5000\n"), text);
    }

    @Test
    void elsewhereItPrintsAboutTenPlainLinesAnEpoch() {
        ProgressBar bar = new ProgressBar(out, false, () -> now);
        bar.startEpoch("run epoch 2/2", 50, 0);
        for (int step = 1; step <= 50; step++) {
            now += 500_000_000L;
            bar.step(step, 0, Double.NaN);
        }
        bar.finish();
        String[] lines = printed().split("\n");
        assertFalse(printed().contains("\r"));
        assertEquals(10, lines.length, printed());
        // No images counted and no loss reported: steps/s, and no loss field.
        assertEquals("run epoch 2/2  5/50  2.00 steps/s  ETA 0:23", lines[0]);
        assertEquals("run epoch 2/2  50/50  2.00 steps/s  ETA 0:00", lines[9]);
    }

    @Test
    void slowStepsGetAPlainLineAtLeastEvery30Seconds() {
        ProgressBar bar = new ProgressBar(out, false, () -> now);
        bar.startEpoch("r", 1000, 0);
        for (int step = 1; step <= 7; step++) {
            now += 11_000_000_000L;
            bar.step(step, 0, 0.5);
        }
        // 11 s per step: a line after 33 s (step 3) and after 66 s (step 6).
        String[] lines = printed().split("\n");
        assertEquals(2, lines.length, printed());
        assertTrue(lines[0].startsWith("r  3/1000  0.09 steps/s  ETA 3:02:47  loss 0.5000"), lines[0]);
        assertTrue(lines[1].startsWith("r  6/1000  "), lines[1]);
    }

    @Test
    void aResumedEpochCountsThroughputFromWhereItResumed() {
        ProgressBar bar = new ProgressBar(out, false, () -> now);
        bar.startEpoch("r", 10, 8);
        now += 2_000_000_000L;
        bar.step(9, 0, 1);
        now += 2_000_000_000L;
        bar.step(10, 0, 1);
        assertEquals("r  9/10  0.50 steps/s  ETA 0:02  loss 1.0000\nr  10/10  0.50 steps/s  ETA 0:00  loss 1.0000\n",
                printed());
    }

    @Test
    void durationsReadAsClockTimes() {
        assertEquals("0:59", ProgressBar.duration(59.4));
        assertEquals("1:00", ProgressBar.duration(59.6));
        assertEquals("1:01:01", ProgressBar.duration(3661));
    }
}
