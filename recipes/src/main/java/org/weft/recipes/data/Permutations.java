package org.weft.recipes.data;

import java.util.random.RandomGenerator;

/**
 * Fisher–Yates shuffles, the one way the recipes turn a seeded generator into an order: every permutation is
 * equally likely, and the same generator state always gives the same order.
 */
public final class Permutations {

    private Permutations() {
    }

    /** 0..n-1 in the order {@code random} draws. */
    public static int[] shuffled(int n, RandomGenerator random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        shuffle(order, random);
        return order;
    }

    /** Shuffles {@code a} in place. */
    public static void shuffle(int[] a, RandomGenerator random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
