package org.weft.recipes.cnn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.weft.nn.io.TrainingCheckpoint;
import org.weft.recipes.data.FashionMnist;
import org.weft.recipes.report.Table;
import org.weft.recipes.train.Recipe;
import org.weft.recipes.train.RecipeConfig;
import org.weft.recipes.train.RunContext;
import org.weft.tensor.random.Generator;

/**
 * {@code weft train fashion-cnn}: {@link SmallCnn} on the full Fashion-MNIST training split, evaluated on the
 * test split after every epoch, as its PyTorch twin {@code bench/small_cnn_torch.py} does. {@code --quick}
 * trains one epoch on 2,560 images and evaluates on 1,000.
 */
public final class FashionCnnRecipe implements Recipe {

    /** The name of its one training in the run folder ({@code checkpoints/fashion-cnn.safetensors}). */
    static final String RUN_NAME = "fashion-cnn";

    @Override
    public String name() {
        return "fashion-cnn";
    }

    @Override
    public String description() {
        return "a small CNN (two conv layers with batch norm) on Fashion-MNIST";
    }

    @Override
    public LinkedHashMap<String, Object> defaults(boolean quick) {
        LinkedHashMap<String, Object> d = new LinkedHashMap<>();
        d.put("epochs", quick ? 1 : 8);
        d.put("batch_size", 128);
        d.put("lr", 0.05);
        d.put("momentum", 0.9);
        d.put("weight_decay", 5e-4);
        d.put("train_limit", quick ? 2560 : 0);
        d.put("test_limit", quick ? 1000 : 0);
        d.put("seed", 0L);
        return d;
    }

    @Override
    public void run(RunContext context) throws IOException {
        RecipeConfig c = context.config();
        FashionCnnTask task = task(context);
        Map<String, Double> metrics = context.fit(RUN_NAME, task, c.integer("epochs"));
        context.writeConfusion("test", task.confusion());
        context.writeTable("results", new Table("SmallCnn on Fashion-MNIST", List.of("metric", "value"),
                List.of(List.of("test accuracy", String.format(Locale.ROOT, "%.4f", metrics.get("test_accuracy"))),
                        List.of("test loss", String.format(Locale.ROOT, "%.4f", metrics.get("test_loss")))),
                "After " + c.integer("epochs") + " epochs on " + (c.integer("train_limit") == 0 ? "all"
                        : "the first " + c.integer("train_limit")) + " training images; evaluated on "
                        + (c.integer("test_limit") == 0 ? "the whole test split" : "the first "
                        + c.integer("test_limit") + " test images") + "."));
        context.writeNotes("""
                # fashion-cnn

                SmallCnn (two 3x3 convolutions with batch norm and ReLU, max pooling, a linear classifier) trained
                with SGD (Nesterov momentum %s, weight decay %s, batch %d) from learning rate %s decayed by a cosine
                over all steps to 0; the training images are shuffled anew each epoch; pixels are scaled to [0, 1]
                and standardised with the training split's mean %s and standard deviation %s.
                """.formatted(c.number("momentum"), c.number("weight_decay"), c.integer("batch_size"), c.number("lr"),
                FashionCnnTask.MEAN, FashionCnnTask.STD));
        context.log().printf(Locale.ROOT, "test accuracy %.4f%n", metrics.get("test_accuracy"));
    }

    @Override
    public Map<String, Double> evaluate(RunContext context, Path checkpoint) throws IOException {
        FashionCnnTask task = task(context);
        TrainingCheckpoint.load(checkpoint, task.model(), task.optimizer(), task.scheduler());
        return task.evaluate();
    }

    /** The data and the freshly initialised model, optimiser and schedule of a run with this configuration. */
    private static FashionCnnTask task(RunContext context) throws IOException {
        RecipeConfig c = context.config();
        Path data = context.dataDir() != null ? context.dataDir() : FashionMnist.DEFAULT_DIR;
        FashionMnist train = FashionMnist.load(data, FashionMnist.Split.TRAIN);
        FashionMnist test = FashionMnist.load(data, FashionMnist.Split.TEST);
        // The initial weights come from the global generator: seeding it here makes them the seed's.
        Generator.global().manualSeed(c.longValue("seed"));
        return new FashionCnnTask(train, test, c.integer("train_limit"), c.integer("test_limit"), c.integer("batch_size"),
                c.number("lr"), c.number("momentum"), c.number("weight_decay"), c.integer("epochs"),
                c.longValue("seed"));
    }
}
