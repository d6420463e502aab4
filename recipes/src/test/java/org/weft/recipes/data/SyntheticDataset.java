package org.weft.recipes.data;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A dataset for loader tests: example i is a 1×2×3 image whose pixels are i + p/10 and whose label is i mod 10.
 * It counts its {@code get} calls, can fail at one index, and can be slowed down.
 */
class SyntheticDataset implements Dataset {

    final int size;
    final AtomicInteger gets = new AtomicInteger();
    int failAt = -1;
    long sleepMillis;

    SyntheticDataset(int size) {
        this.size = size;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Sample get(int index) {
        gets.incrementAndGet();
        if (index == failAt) {
            throw new IllegalStateException("cannot decode synthetic file " + index + ".png");
        }
        if (sleepMillis > 0) {
            try {
                Thread.sleep(sleepMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        float[] pixels = new float[6];
        for (int p = 0; p < 6; p++) {
            pixels[p] = index + p / 10f;
        }
        return Sample.of(new Image(1, 2, 3, pixels), index % 10);
    }

    @Override
    public List<String> classes() {
        return List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    }
}
