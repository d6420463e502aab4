package org.weft.recipes.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import org.weft.recipes.train.Configs;
import org.weft.recipes.train.ProgressBar;
import org.weft.recipes.train.Recipe;
import org.weft.recipes.train.Recipes;
import org.weft.recipes.train.Run;
import org.weft.recipes.train.RunFolder;
import org.weft.recipes.train.StopSignal;
import org.weft.tensor.Device;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code weft eval RUN_DIR|CHECKPOINT}: rebuilds a run's recipe from its config.json, loads each checkpoint of
 * the run (or the one given), evaluates it as the recipe evaluates, and prints the metrics as a table and as
 * one JSON object per checkpoint.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate the trained models of a run folder (or one checkpoint in it).")
final class EvalCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Recipes recipes;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_DIR|CHECKPOINT")
    Path target;

    @Option(names = "--data", paramLabel = "DIR", description = "the dataset directory (default: the run's)")
    Path data;

    @Option(names = "--device", paramLabel = "auto|cpu|cuda", defaultValue = "auto",
            description = "default: ${DEFAULT-VALUE}")
    String device;

    EvalCommand(Recipes recipes) {
        this.recipes = recipes;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintStream log = LogStream.of(out);
        if (!Files.exists(target)) {
            throw new NoSuchFileException(target.toString());
        }
        RunFolder folder;
        List<Path> checkpoints;
        if (Files.isDirectory(target)) {
            folder = RunFolder.open(target);
            checkpoints = folder.checkpoints();
            if (checkpoints.isEmpty()) {
                throw new IOException(target + " has no checkpoints (checkpoints/*.safetensors): was it trained?");
            }
        } else {
            Path dir = target.toAbsolutePath().getParent();
            if (dir == null || !dir.getFileName().toString().equals("checkpoints")) {
                throw new IllegalArgumentException(target + " is not in the checkpoints/ folder of a run folder,"
                        + " where weft eval finds the run's config.json");
            }
            folder = RunFolder.open(dir.getParent());
            checkpoints = List.of(target);
        }
        if (data != null && !Files.isDirectory(data)) {
            throw new IllegalArgumentException("--data: no such directory: " + data);
        }
        RunFolder.Recorded recorded = folder.readConfig();
        Recipe recipe = recipes.get(recorded.recipe());
        Configs configs = Configs.recorded(recipe, folder);
        Device chosen = Devices.choose(device, log);
        Run run = new Run(folder, configs, recorded.quick(), chosen, data != null ? data : recorded.data(), log,
                ProgressBar.forOutput(log), new StopSignal());

        Map<String, Map<String, Double>> results = new LinkedHashMap<>();
        for (Path checkpoint : checkpoints) {
            String name = checkpoint.getFileName().toString().replaceFirst("\\.safetensors$", "");
            results.put(name, recipe.evaluate(run, checkpoint));
        }
        printTable(out, results);
        for (Map.Entry<String, Map<String, Double>> e : results.entrySet()) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("checkpoint", e.getKey());
            line.putAll(e.getValue());
            out.println(JSON.writeValueAsString(line));
        }
        return 0;
    }

    /** One row per checkpoint, one column per metric, aligned. */
    private static void printTable(PrintWriter out, Map<String, Map<String, Double>> results) {
        Set<String> names = new LinkedHashSet<>();
        results.values().forEach(m -> names.addAll(m.keySet()));
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("checkpoint"));
        header.addAll(names);
        rows.add(header);
        results.forEach((checkpoint, metrics) -> {
            List<String> row = new ArrayList<>(List.of(checkpoint));
            for (String n : names) {
                row.add(metrics.containsKey(n) ? String.format(Locale.ROOT, "%.4f", metrics.get(n)) : "-");
            }
            rows.add(row);
        });
        int[] widths = new int[header.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                // Names left-aligned, numbers right-aligned, as tables of results are read.
                s.append(i == 0 ? cell + " ".repeat(widths[i] - cell.length())
                        : "  " + " ".repeat(widths[i] - cell.length()) + cell);
            }
            out.println(s.toString().stripTrailing());
        }
    }
}
