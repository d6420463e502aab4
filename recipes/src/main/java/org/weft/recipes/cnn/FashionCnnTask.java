package org.weft.recipes.cnn;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;

import org.weft.autograd.Functional;
import org.weft.autograd.Grad;
import org.weft.autograd.Tensor;
import org.weft.nn.Module;
import org.weft.nn.optim.LRScheduler;
import org.weft.nn.optim.Optimizer;
import org.weft.nn.optim.SGD;
import org.weft.nn.optim.WarmupCosineLR;
import org.weft.recipes.data.Batch;
import org.weft.recipes.data.FashionMnist;
import org.weft.recipes.data.Permutations;
import org.weft.recipes.metrics.ConfusionMatrix;
import org.weft.recipes.train.TrainingTask;
import org.weft.tensor.NDArray;

/**
 * One training of {@link SmallCnn} on Fashion-MNIST: SGD with Nesterov momentum and weight decay, a cosine
 * decay of the learning rate over all steps, a fresh shuffle of the training images each epoch (fixed by the
 * seed and the epoch, so a resumed epoch sees the same batches), evaluation on the test split.
 */
final class FashionCnnTask implements TrainingTask<Batch> {

    /** Dataset mean and standard deviation of the training pixels in [0, 1]. */
    static final double MEAN = 0.2860;
    static final double STD = 0.3530;
    private static final int EVAL_BATCH = 1000;

    private final FashionMnist train;
    private final FashionMnist test;
    private final int trainSize;
    private final int testSize;
    private final int batchSize;
    private final long seed;
    private final SmallCnn model = new SmallCnn();
    private final SGD optimizer;
    private final WarmupCosineLR schedule;
    private ConfusionMatrix confusion;

    /**
     * @param trainLimit use only the first this many training images (0: all)
     * @param testLimit evaluate on only the first this many test images (0: all)
     */
    FashionCnnTask(FashionMnist train, FashionMnist test, int trainLimit, int testLimit, int batchSize, double lr,
            double momentum, double weightDecay, int epochs, long seed) {
        this.train = train;
        this.test = test;
        this.trainSize = trainLimit == 0 ? train.size : Math.min(trainLimit, train.size);
        this.testSize = testLimit == 0 ? test.size : Math.min(testLimit, test.size);
        this.batchSize = batchSize;
        this.seed = seed;
        if (trainSize / batchSize == 0) {
            throw new IllegalArgumentException("batch_size " + batchSize + " is larger than the " + trainSize
                    + " training images");
        }
        this.optimizer = new SGD(model.parameters(), SGD.options().lr(lr).momentum(momentum).nesterov(true)
                .weightDecay(weightDecay));
        this.schedule = new WarmupCosineLR(optimizer, 0, epochs * stepsPerEpoch(), 1, 0);
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
        return trainSize / batchSize;
    }

    @Override
    public Iterator<Batch> batches(int epoch, int fromStep) {
        int[] order = shuffled(trainSize, seed * 1_000_003L + epoch);
        return new Iterator<>() {
            int step = fromStep;

            @Override
            public boolean hasNext() {
                return step < stepsPerEpoch();
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("epoch " + epoch + " has " + stepsPerEpoch() + " batches");
                }
                int[] indices = Arrays.copyOfRange(order, step * batchSize, (step + 1) * batchSize);
                step++;
                NDArray[] xy = train.batch(indices, MEAN, STD);
                return new Batch(xy[0], xy[1], indices);
            }
        };
    }

    @Override
    public Map<String, Double> trainStep(Batch batch) {
        Tensor loss = Functional.crossEntropy(model.call(Tensor.of(batch.images())), Tensor.of(batch.labels()));
        optimizer.zeroGrad();
        loss.backward();
        optimizer.step();
        schedule.step();
        return Map.of("loss", loss.item());
    }

    /** Accuracy and mean cross-entropy on the test images, in batches of 1000; keeps the confusion matrix. */
    @Override
    public Map<String, Double> evaluate() {
        model.eval();
        ConfusionMatrix counts = new ConfusionMatrix(List.of(FashionMnist.CLASSES));
        double lossSum = 0;
        try (var noGrad = Grad.disabled()) {
            for (int from = 0; from < testSize; from += EVAL_BATCH) {
                int n = Math.min(EVAL_BATCH, testSize - from);
                int[] indices = new int[n];
                for (int i = 0; i < n; i++) {
                    indices[i] = from + i;
                }
                NDArray[] xy = test.batch(indices, MEAN, STD);
                Tensor logits = model.call(Tensor.of(xy[0]));
                lossSum += Functional.crossEntropy(logits, Tensor.of(xy[1])).item() * n;
                long[] predicted = logits.data().argmax(1, false).toLongArray();
                long[] labels = xy[1].toLongArray();
                for (int i = 0; i < n; i++) {
                    counts.add((int) labels[i], (int) predicted[i]);
                }
            }
        }
        confusion = counts;
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("test_accuracy", counts.accuracy());
        metrics.put("test_loss", lossSum / testSize);
        return metrics;
    }

    /** The confusion matrix of the last evaluation, evaluating now if there was none in this process. */
    ConfusionMatrix confusion() {
        if (confusion == null) {
            evaluate();
        }
        return confusion;
    }

    /** 0..n-1 in an order fixed by {@code seed}. */
    static int[] shuffled(int n, long seed) {
        return Permutations.shuffled(n, new Random(seed));
    }
}
