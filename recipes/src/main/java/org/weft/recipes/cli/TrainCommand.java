package org.weft.recipes.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.weft.recipes.train.Configs;
import org.weft.recipes.train.ProgressBar;
import org.weft.recipes.train.Recipe;
import org.weft.recipes.train.Recipes;
import org.weft.recipes.train.Run;
import org.weft.recipes.train.RunFolder;
import org.weft.recipes.train.RunInterruptedException;
import org.weft.recipes.train.StopSignal;
import org.weft.tensor.Device;
import org.weft.tensor.random.Generator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code weft train RECIPE}: runs a recipe in a new run folder {@code runs/<recipe>-<time>/}, or with
 * {@code --resume DIR} goes on with an interrupted run under the configuration it recorded. Ctrl-C stops after
 * the current step with a checkpoint written, prints the command that resumes, and exits with status 130.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a recipe in a new run folder, or resume one.",
            "Configuration: the recipe's defaults, then --config FILE, then --epochs/--seed, then each --set."})
final class TrainCommand implements Callable<Integer> {

    private final Recipes recipes;
    private final ReportWriter reports;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "RECIPE",
            description = "the recipe to run (listed below); optional with --resume")
    String recipe;

    @Option(names = "--data", paramLabel = "DIR", description = "the dataset directory (default: the recipe's)")
    Path data;

    @Option(names = "--device", paramLabel = "auto|cpu|cuda", defaultValue = "auto",
            description = "default: ${DEFAULT-VALUE}")
    String device;

    @Option(names = "--epochs", paramLabel = "N", description = "sets the recipe's 'epochs'")
    Integer epochs;

    @Option(names = "--config", paramLabel = "FILE", description = "a JSON object of settings, e.g. {\"epochs\": 3}")
    Path config;

    @Option(names = "--quick", description = "the recipe's short run of its whole pipeline")
    boolean quick;

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "go on with this run folder's training")
    Path resume;

    @Option(names = "--runs-dir", paramLabel = "DIR", defaultValue = "runs",
            description = "where new run folders go (default: ${DEFAULT-VALUE})")
    Path runsDir;

    @Option(names = "--seed", paramLabel = "N", description = "sets the recipe's 'seed'")
    Long seed;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "sets one configuration key (repeatable)")
    List<String> settings = new ArrayList<>();

    @Option(names = "--progress", paramLabel = "auto|bar|lines", defaultValue = "auto",
            description = "a bar redrawn in place, or plain lines (auto: a bar on a terminal)")
    String progress;

    TrainCommand(Recipes recipes, ReportWriter reports) {
        this.recipes = recipes;
        this.reports = reports;
    }

    @Override
    public Integer call() throws IOException {
        PrintStream log = LogStream.of(spec.commandLine().getOut());
        ProgressBar bar = progressBar(log);
        Recipe chosen;
        Configs configs;
        RunFolder folder;
        boolean quickRun;
        Path dataDir;
        if (resume != null) {
            for (String option : List.of("--config", "--epochs", "--seed", "--set", "--quick", "--runs-dir")) {
                if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                    throw new IllegalArgumentException("--resume goes on under the configuration in " + resume
                            + "/config.json; " + option + " cannot be combined with it");
                }
            }
            folder = RunFolder.open(resume);
            RunFolder.Recorded recorded = folder.readConfig();
            if (recipe != null && !recipe.equals(recorded.recipe())) {
                throw new IllegalArgumentException(resume + " is a run of recipe '" + recorded.recipe() + "', not '"
                        + recipe + "'");
            }
            chosen = recipes.get(recorded.recipe());
            quickRun = recorded.quick();
            configs = Configs.recorded(chosen, folder);
            dataDir = data != null ? existingDirectory(data) : recorded.data();
            Device chosenDevice = Devices.choose(device, log);
            log.println("resuming run " + folder.dir());
            return run(chosen, folder, configs, quickRun, chosenDevice, dataDir, log, bar);
        }
        if (recipe == null) {
            throw new IllegalArgumentException("which recipe? give one of " + String.join(", ", recipes.names())
                    + ", or --resume RUN_DIR");
        }
        chosen = recipes.get(recipe);
        configs = Configs.defaults(chosen, quick);
        if (config != null) {
            configs = configs.withFile(config);
        }
        if (epochs != null) {
            configs = configs.with("epochs", epochs.toString(), "--epochs");
        }
        if (seed != null) {
            configs = configs.with("seed", seed.toString(), "--seed");
        }
        for (String s : settings) {
            configs = configs.withSetting(s);
        }
        configs.trainerSettings();
        dataDir = data == null ? null : existingDirectory(data);
        Device chosenDevice = Devices.choose(device, log);
        folder = RunFolder.create(runsDir, chosen.name(), LocalDateTime.now());
        folder.writeConfig(chosen.name(), configs, quick, chosenDevice.toString(), dataDir);
        log.println("run folder " + folder.dir());
        return run(chosen, folder, configs, quick, chosenDevice, dataDir, log, bar);
    }

    private int run(Recipe chosen, RunFolder folder, Configs configs, boolean quickRun, Device chosenDevice,
            Path dataDir, PrintStream log, ProgressBar bar) throws IOException {
        // Recipes seed what they draw themselves; this makes a recipe that does not still repeat itself.
        Generator.global().manualSeed(configs.longValue("seed"));
        try (StopSignal stop = StopSignal.install(log)) {
            Run run = new Run(folder, configs, quickRun, chosenDevice, dataDir, log, bar, stop);
            try {
                chosen.run(run);
            } catch (RunInterruptedException e) {
                reports.write(folder.dir());
                spec.commandLine().getErr().println("weft train: stopped; resume with: weft train --resume "
                        + folder.dir());
                return StopSignal.EXIT_STATUS;
            }
        }
        reports.write(folder.dir());
        log.println("run folder " + folder.dir() + " (report: " + folder.dir().resolve("report.md") + ")");
        return 0;
    }

    private ProgressBar progressBar(PrintStream log) {
        return switch (progress) {
            case "auto" -> ProgressBar.forOutput(log);
            case "bar" -> new ProgressBar(log, true, System::nanoTime);
            case "lines" -> new ProgressBar(log, false, System::nanoTime);
            default -> throw new IllegalArgumentException("--progress must be auto, bar or lines, got '" + progress
                    + "'");
        };
    }

    private static Path existingDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--data: no such directory: " + dir);
        }
        return dir;
    }
}
