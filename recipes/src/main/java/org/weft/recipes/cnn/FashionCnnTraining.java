package org.weft.recipes.cnn;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import org.weft.autograd.Functional;
import org.weft.autograd.Grad;
import org.weft.autograd.Tensor;
import org.weft.nn.io.TrainingCheckpoint;
import org.weft.nn.optim.SGD;
import org.weft.nn.optim.WarmupCosineLR;
import org.weft.recipes.data.FashionMnist;
import org.weft.tensor.NDArray;
import org.weft.tensor.random.Generator;

/**
 * The first real training run: {@link SmallCnn} on the full Fashion-MNIST training split,
 * evaluated on the test split after every epoch. SGD with Nesterov momentum and weight
 * decay, and a cosine learning-rate decay over all steps, as in its PyTorch twin
 * {@code bench/small_cnn_torch.py}. A checkpoint is written atomically after every epoch;
 * a run started again with the same checkpoint path goes on from the last finished epoch
 * and gives the numbers an uninterrupted run gives.
 */
public final class FashionCnnTraining {

    /** Dataset mean and standard deviation of the training pixels in [0, 1]. */
    static final double MEAN = 0.2860;
    static final double STD = 0.3530;

    /**
     * What to train and how; {@code trainLimit} 0 means the whole split (tests use fewer), and
     * {@code stopAfterEpoch} 0 means run to the end (otherwise this process stops after that
     * epoch, as if interrupted, leaving its checkpoint to resume from).
     */
    public record Config(Path data, int epochs, int batchSize, double lr, double momentum, double weightDecay,
                         long seed, Path checkpoint, int trainLimit, int stopAfterEpoch) {

        public Config(Path data, int epochs, int batchSize, double lr, double momentum, double weightDecay, long seed,
                      Path checkpoint, int trainLimit) {
            this(data, epochs, batchSize, lr, momentum, weightDecay, seed, checkpoint, trainLimit, 0);
        }

        /** This configuration, stopping after epoch {@code epoch}. */
        public Config withEpochLimit(int epoch) {
            return new Config(data, epochs, batchSize, lr, momentum, weightDecay, seed, checkpoint, trainLimit, epoch);
        }

        public Config {
            if (epochs < 1 || batchSize < 1 || !(lr > 0) || trainLimit < 0) {
                throw new IllegalArgumentException("training needs epochs >= 1, batch size >= 1, lr > 0 and a"
                        + " non-negative train limit, got epochs=" + epochs + ", batch size=" + batchSize + ", lr=" + lr
                        + ", train limit=" + trainLimit);
            }
        }
    }

    /** The test accuracy after the last epoch and the seconds spent in this process training and evaluating. */
    public record Result(double testAccuracy, double seconds, int epochs, int resumedFromEpoch) {
    }

    private FashionCnnTraining() {
    }

    public static Result run(Config config, PrintStream log) throws IOException {
        FashionMnist train = FashionMnist.load(config.data(), FashionMnist.Split.TRAIN);
        FashionMnist test = FashionMnist.load(config.data(), FashionMnist.Split.TEST);
        int trainSize = config.trainLimit() == 0 ? train.size : Math.min(config.trainLimit(), train.size);
        int stepsPerEpoch = trainSize / config.batchSize();
        if (stepsPerEpoch == 0) {
            throw new IllegalArgumentException("batch size " + config.batchSize() + " is larger than the "
                    + trainSize + " training images");
        }

        Generator.global().manualSeed(config.seed());
        SmallCnn model = new SmallCnn();
        SGD optimizer = new SGD(model.parameters(), SGD.options().lr(config.lr()).momentum(config.momentum())
                .nesterov(true).weightDecay(config.weightDecay()));
        WarmupCosineLR schedule = new WarmupCosineLR(optimizer, 0, config.epochs() * stepsPerEpoch, 1, 0);

        int firstEpoch = 0;
        if (config.checkpoint() != null && Files.exists(config.checkpoint())) {
            TrainingCheckpoint.Info info = TrainingCheckpoint.load(config.checkpoint(), model, optimizer, schedule);
            firstEpoch = (int) info.epoch();
            log.printf("resuming from %s after epoch %d (step %d)%n", config.checkpoint(), info.epoch(), info.step());
        }

        long start = System.nanoTime();
        double accuracy = Double.NaN;
        int lastEpoch = config.stopAfterEpoch() > 0 ? Math.min(config.stopAfterEpoch(), config.epochs()) : config.epochs();
        for (int epoch = firstEpoch; epoch < lastEpoch; epoch++) {
            model.train();
            int[] order = shuffled(trainSize, config.seed() * 1_000_003L + epoch);
            double lossSum = 0;
            long epochStart = System.nanoTime();
            for (int step = 0; step < stepsPerEpoch; step++) {
                int[] indices = java.util.Arrays.copyOfRange(order, step * config.batchSize(),
                        (step + 1) * config.batchSize());
                NDArray[] batch = train.batch(indices, MEAN, STD);
                Tensor loss = Functional.crossEntropy(model.call(Tensor.of(batch[0])), Tensor.of(batch[1]));
                optimizer.zeroGrad();
                loss.backward();
                optimizer.step();
                schedule.step();
                lossSum += loss.item();
                if ((step + 1) % 100 == 0 || step + 1 == stepsPerEpoch) {
                    double seconds = (System.nanoTime() - epochStart) / 1e9;
                    log.printf("epoch %d/%d  step %d/%d  loss %.4f  lr %.5f  %.0f images/s%n", epoch + 1,
                            config.epochs(), step + 1, stepsPerEpoch, lossSum / (step + 1), schedule.lastLr()[0],
                            (step + 1) * config.batchSize() / seconds);
                }
            }
            accuracy = evaluate(model, test);
            log.printf("epoch %d/%d  train loss %.4f  test accuracy %.4f  (%.0f s)%n", epoch + 1, config.epochs(),
                    lossSum / stepsPerEpoch, accuracy, (System.nanoTime() - start) / 1e9);
            if (config.checkpoint() != null) {
                TrainingCheckpoint.save(config.checkpoint(), model, optimizer, schedule, epoch + 1,
                        (long) (epoch + 1) * stepsPerEpoch, Map.of("test_accuracy", Double.toString(accuracy)));
            }
        }
        if (Double.isNaN(accuracy)) {
            accuracy = evaluate(model, test);
        }
        return new Result(accuracy, (System.nanoTime() - start) / 1e9, lastEpoch, firstEpoch);
    }

    /** Top-1 accuracy on {@code data} in eval mode, in batches of 1000. */
    static double evaluate(SmallCnn model, FashionMnist data) {
        model.eval();
        long correct = 0;
        try (var noGrad = Grad.disabled()) {
            for (int from = 0; from < data.size; from += 1000) {
                int n = Math.min(1000, data.size - from);
                int[] indices = new int[n];
                for (int i = 0; i < n; i++) {
                    indices[i] = from + i;
                }
                NDArray[] batch = data.batch(indices, MEAN, STD);
                long[] predicted = model.call(Tensor.of(batch[0])).data().argmax(1, false).toLongArray();
                long[] labels = batch[1].toLongArray();
                for (int i = 0; i < n; i++) {
                    correct += predicted[i] == labels[i] ? 1 : 0;
                }
            }
        }
        return (double) correct / data.size;
    }

    /** 0..n-1 in an order fixed by {@code seed} (Fisher-Yates), so a resumed epoch sees the same batches. */
    static int[] shuffled(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
