package org.weft.recipes.mmd;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.IntUnaryOperator;

import org.weft.recipes.data.Dataset;
import org.weft.recipes.data.Sample;

/**
 * A seeded train/test split of a single-label dataset that publishes none, drawn per class so that both parts keep
 * the class proportions: of a class with n examples, {@code round(testFraction · n)} go to the test part (at least
 * one and at most n − 1 when n ≥ 2, so every class is both trained and tested), chosen by a shuffle seeded with
 * {@code seed}; both parts keep the dataset's order.
 */
record StratifiedSplit(Dataset train, Dataset test) {

    static StratifiedSplit of(Dataset data, IntUnaryOperator label, double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("the test fraction must be between 0 and 1 (exclusive), got "
                    + testFraction);
        }
        int classes = data.classes().size();
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < data.size(); i++) {
            byClass.get(label.applyAsInt(i)).add(i);
        }
        boolean[] isTest = new boolean[data.size()];
        Random random = new Random(seed);
        for (List<Integer> members : byClass) {
            int n = members.size();
            int tests = (int) Math.round(testFraction * n);
            if (n >= 2) {
                tests = Math.max(1, Math.min(n - 1, tests));
            }
            List<Integer> order = new ArrayList<>(members);
            Collections.shuffle(order, random);
            for (int j = 0; j < tests; j++) {
                isTest[order.get(j)] = true;
            }
        }
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (int i = 0; i < isTest.length; i++) {
            (isTest[i] ? test : train).add(i);
        }
        return new StratifiedSplit(new Subset(data, train), new Subset(data, test));
    }

    /** Chosen examples of a dataset, in the given order. */
    record Subset(Dataset data, List<Integer> indices) implements Dataset {

        Subset {
            indices = List.copyOf(indices);
        }

        @Override
        public int size() {
            return indices.size();
        }

        @Override
        public Sample get(int index) {
            return data.get(indices.get(index));
        }

        @Override
        public List<String> classes() {
            return data.classes();
        }

        @Override
        public boolean isMultiLabel() {
            return data.isMultiLabel();
        }
    }
}
