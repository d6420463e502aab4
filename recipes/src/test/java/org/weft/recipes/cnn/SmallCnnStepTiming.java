package org.weft.recipes.cnn;

import java.util.Arrays;

import org.weft.autograd.Functional;
import org.weft.autograd.Tensor;
import org.weft.nn.optim.SGD;
import org.weft.tensor.NDArray;
import org.weft.tensor.random.Generator;

/**
 * Times the training step of {@link SmallCnn} as {@link FashionCnnRecipe} runs it (batch
 * 128, SGD with Nesterov momentum and weight decay) on random images, so that it can run under
 * a profiler without the data set: {@code SmallCnnStepTiming [batch] [warmup steps] [timed steps] [rounds]}.
 * Prints images/s of each round and their median.
 */
final class SmallCnnStepTiming {

    private SmallCnnStepTiming() {
    }

    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 128;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        Generator.global().manualSeed(0);
        SmallCnn model = new SmallCnn();
        model.train();
        SGD optimizer = new SGD(model.parameters(), SGD.options().lr(0.05).momentum(0.9).nesterov(true)
                .weightDecay(5e-4));
        NDArray images = NDArray.randn(batch, 1, 28, 28);
        long[] labels = new long[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = i % 10;
        }
        NDArray target = NDArray.of(labels, batch);
        for (int i = 0; i < warmup; i++) {
            step(model, optimizer, images, target);
        }
        double[] rates = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                step(model, optimizer, images, target);
            }
            rates[r] = (double) steps * batch / ((System.nanoTime() - t0) / 1e9);
            System.out.printf("round %d: %.0f images/s%n", r + 1, rates[r]);
        }
        Arrays.sort(rates);
        System.out.printf("median: %.0f images/s (batch %d, %d steps per round)%n", rates[rounds / 2], batch, steps);
    }

    private static void step(SmallCnn model, SGD optimizer, NDArray images, NDArray target) {
        Tensor loss = Functional.crossEntropy(model.call(Tensor.of(images)), Tensor.of(target));
        optimizer.zeroGrad();
        loss.backward();
        optimizer.step();
    }
}
