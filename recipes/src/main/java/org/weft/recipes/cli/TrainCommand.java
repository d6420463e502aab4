package org.weft.recipes.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.weft.recipes.cnn.FashionCnnTraining;
import org.weft.recipes.data.FashionMnist;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code weft train fashion-cnn}: the small CNN on the real Fashion-MNIST, with progress and per-epoch checkpoints. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a recipe. Known: fashion-cnn (two conv layers with BN on Fashion-MNIST).")
final class TrainCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RECIPE", description = "fashion-cnn")
    String recipe;

    @Option(names = "--data", description = "Fashion-MNIST directory (default: ${DEFAULT-VALUE})")
    Path data = FashionMnist.DEFAULT_DIR;

    @Option(names = "--epochs", description = "default: ${DEFAULT-VALUE}")
    int epochs = 8;

    @Option(names = "--batch-size", description = "default: ${DEFAULT-VALUE}")
    int batchSize = 128;

    @Option(names = "--lr", description = "initial learning rate, decayed by a cosine (default: ${DEFAULT-VALUE})")
    double lr = 0.05;

    @Option(names = "--seed", description = "default: ${DEFAULT-VALUE}")
    long seed = 0;

    @Option(names = "--checkpoint", description = "written after every epoch; an existing one is resumed"
            + " (default: ${DEFAULT-VALUE})")
    Path checkpoint = Path.of("runs", "fashion-cnn", "checkpoint.safetensors");

    @Option(names = "--train-limit", description = "use only the first N training images (0: all)")
    int trainLimit = 0;

    @Override
    public Integer call() throws Exception {
        if (!recipe.equals("fashion-cnn")) {
            throw new IllegalArgumentException("unknown recipe '" + recipe + "'; known: fashion-cnn");
        }
        if (checkpoint.getParent() != null) {
            java.nio.file.Files.createDirectories(checkpoint.getParent());
        }
        FashionCnnTraining.Result result = FashionCnnTraining.run(new FashionCnnTraining.Config(data, epochs,
                batchSize, lr, 0.9, 5e-4, seed, checkpoint, trainLimit), System.out);
        System.out.printf("{\"framework\": \"weft\", \"threads\": %d, \"epochs\": %d, \"test_accuracy\": %.4f,"
                + " \"train_seconds\": %.1f, \"resumed_from_epoch\": %d}%n",
                org.weft.tensor.cpu.CpuThreads.count(), result.epochs(), result.testAccuracy(), result.seconds(),
                result.resumedFromEpoch());
        return 0;
    }
}
