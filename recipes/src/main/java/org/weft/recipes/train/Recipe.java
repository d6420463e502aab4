package org.weft.recipes.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A named training procedure that {@code weft train <name>} runs: a paper's method on its protocol. A recipe
 * declares its configuration keys with their defaults; the command resolves them against a config file and
 * flags, writes them into the run folder, and hands the recipe a {@link RunContext}.
 */
public interface Recipe {

    /** The name on the command line, e.g. {@code mmd-transfer}. */
    String name();

    /** One line for {@code weft train --help}. */
    String description();

    /**
     * Every configuration key with its default, in the order the resolved config lists them; {@code quick}
     * gives the defaults of {@code --quick}, a short run of the whole pipeline. Values are Integer, Long,
     * Double, Boolean, String or List&lt;String&gt;; a key absent here is an error in a config file.
     */
    LinkedHashMap<String, Object> defaults(boolean quick);

    /** Runs the recipe; the run folder, configuration, device and trainer come from {@code context}. */
    void run(RunContext context) throws IOException;

    /**
     * {@code weft eval}: loads the trained model of {@code checkpoint} (one training's checkpoint in the run
     * folder of {@code context}), evaluates it on the recipe's evaluation data and returns its metrics.
     */
    Map<String, Double> evaluate(RunContext context, Path checkpoint) throws IOException;
}
