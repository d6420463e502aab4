package org.weft.recipes.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntConsumer;

import org.weft.autograd.Functional;
import org.weft.autograd.Tensor;
import org.weft.nn.Dropout;
import org.weft.nn.Flatten;
import org.weft.nn.Linear;
import org.weft.nn.Module;
import org.weft.nn.Sequential;
import org.weft.nn.optim.LRScheduler;
import org.weft.nn.optim.Optimizer;
import org.weft.nn.optim.SGD;
import org.weft.nn.optim.StepLR;
import org.weft.recipes.data.Batch;
import org.weft.tensor.NDArray;
import org.weft.tensor.random.Generator;

/**
 * A tiny training task for the trainer's tests: a linear classifier behind dropout (so the global random
 * generator matters) on 40 fixed random 2x2 "images" of 3 classes, SGD with momentum and a step schedule (so
 * optimiser and scheduler state matter), 5 batches of 8 per epoch in an order fixed by the epoch. It records
 * what it returned so tests can compare the trainer's logs with it.
 */
public final class LinearTask implements TrainingTask<Batch> {

    static final int N = 40;
    static final int BATCH = 8;

    private final NDArray images;
    private final NDArray labels;
    private final Module model;
    private final SGD optimizer;
    private final StepLR schedule;

    /** Global step counter of this object's trainStep calls; the losses, learning rates and evaluations it gave. */
    int stepsTaken;
    final List<Double> losses = new ArrayList<>();
    final List<Double> lrs = new ArrayList<>();
    final List<Map<String, Double>> evaluations = new ArrayList<>();
    /** Called with the 1-based count of this object's steps before each step (tests stop or fail there). */
    IntConsumer beforeStep = s -> { };

    /** Seeds the global generator with {@code seed} and builds data, model and optimiser from it. */
    public LinearTask(long seed) {
        Random random = new Random(seed);
        float[] x = new float[N * 4];
        long[] y = new long[N];
        for (int i = 0; i < N; i++) {
            y[i] = random.nextInt(3);
            for (int j = 0; j < 4; j++) {
                x[i * 4 + j] = (float) random.nextGaussian() + (j == y[i] ? 2f : 0f);
            }
        }
        images = NDArray.of(x, N, 1, 2, 2);
        labels = NDArray.of(y, N);
        Generator.global().manualSeed(seed);
        model = new Sequential(new Flatten(), new Dropout(0.3), new Linear(4, 3));
        optimizer = new SGD(model.parameters(), SGD.options().lr(0.2).momentum(0.9));
        schedule = new StepLR(optimizer, 7, 0.5);
    }

    @Override
    public Module model() {
        return model;
    }

    @Override
    public Optimizer optimizer() {
        return optimizer;
    }

    @Override
    public LRScheduler scheduler() {
        return schedule;
    }

    @Override
    public int stepsPerEpoch() {
        return N / BATCH;
    }

    @Override
    public Iterator<Batch> batches(int epoch, int fromStep) {
        int[] order = new int[N];
        Arrays.setAll(order, i -> i);
        Random random = new Random(1000 + epoch);
        for (int i = N - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        List<Batch> batches = new ArrayList<>();
        for (int s = fromStep; s < stepsPerEpoch(); s++) {
            int[] idx = Arrays.copyOfRange(order, s * BATCH, (s + 1) * BATCH);
            batches.add(new Batch(images.indexSelect(0, NDArray.of(toLong(idx), idx.length)),
                    labels.indexSelect(0, NDArray.of(toLong(idx), idx.length)), idx));
        }
        return batches.iterator();
    }

    private static long[] toLong(int[] a) {
        long[] l = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            l[i] = a[i];
        }
        return l;
    }

    @Override
    public Map<String, Double> trainStep(Batch batch) {
        beforeStep.accept(stepsTaken + 1);
        lrs.add(optimizer.paramGroups().get(0).lr());
        Tensor loss = Functional.crossEntropy(model.call(Tensor.of(batch.images())), Tensor.of(batch.labels()));
        optimizer.zeroGrad();
        loss.backward();
        optimizer.step();
        schedule.step();
        stepsTaken++;
        losses.add(loss.item());
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", loss.item());
        m.put("twice_loss", 2 * loss.item());
        return m;
    }

    @Override
    public Map<String, Double> evaluate() {
        Tensor logits = model.call(Tensor.of(images));
        long[] predicted = logits.data().argmax(1, false).toLongArray();
        long[] truth = labels.toLongArray();
        int correct = 0;
        for (int i = 0; i < N; i++) {
            correct += predicted[i] == truth[i] ? 1 : 0;
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("accuracy", (double) correct / N);
        m.put("loss", Functional.crossEntropy(logits, Tensor.of(labels)).item());
        evaluations.add(m);
        return m;
    }
}
