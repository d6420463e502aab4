package org.weft.recipes.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.weft.nn.io.TrainingCheckpoint;
import org.weft.recipes.report.Table;

/**
 * A recipe for tests of runs and of the weft command: one {@link LinearTask} training. With {@code interrupt}
 * set, its first run stops before training as Ctrl-C would stop it, so that resuming can be tested.
 */
public final class TinyRecipe implements Recipe {

    @Override
    public String name() {
        return "tiny";
    }

    @Override
    public String description() {
        return "a linear classifier on 40 random points";
    }

    @Override
    public LinkedHashMap<String, Object> defaults(boolean quick) {
        LinkedHashMap<String, Object> d = new LinkedHashMap<>();
        d.put("epochs", quick ? 1 : 2);
        d.put("interrupt", false);
        return d;
    }

    @Override
    public void run(RunContext context) throws IOException {
        Path marker = context.runDir().resolve("interrupted-once");
        if (context.config().flag("interrupt") && !Files.exists(marker)) {
            Files.createFile(marker);
            throw new RunInterruptedException(context.runDir());
        }
        Map<String, Double> metrics = context.fit("lin", new LinearTask(context.config().longValue("seed")),
                context.config().integer("epochs"));
        context.writeTable("results", new Table("Tiny", List.of("metric", "value"),
                List.of(List.of("accuracy", Double.toString(metrics.get("accuracy")))), "on its training points"));
        context.writeNotes("# tiny\n\nA linear classifier.\n");
    }

    @Override
    public Map<String, Double> evaluate(RunContext context, Path checkpoint) throws IOException {
        LinearTask task = new LinearTask(context.config().longValue("seed"));
        TrainingCheckpoint.load(checkpoint, task.model(), task.optimizer(), task.scheduler());
        task.model().eval();
        return task.evaluate();
    }
}
