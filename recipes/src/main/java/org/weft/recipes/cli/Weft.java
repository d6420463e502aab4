package org.weft.recipes.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.Properties;
import org.weft.recipes.report.RunReport;
import org.weft.recipes.train.Recipe;
import org.weft.recipes.train.Recipes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The {@code weft} command-line program: {@code weft info}, {@code weft convert},
 * {@code weft infer}, {@code weft train}, {@code weft eval}, {@code weft report}, one class per subcommand.
 *
 * <p>Errors a user can fix (a missing file, a wrong shape, an unknown name) print one line,
 * {@code weft <command>: <what is wrong>}, and exit with status 1; anything else is a bug and
 * prints its stack trace with status 2. A mistake in the command line itself (an unknown option, a missing
 * argument) is one line too, with picocli's status 2.
 */
@Command(name = "weft", mixinStandardHelpOptions = true, versionProvider = Weft.Version.class,
        description = "Weft, a deep-learning engine written from scratch in Java.",
        synopsisSubcommandLabel = "COMMAND")
public final class Weft implements Runnable {

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine(ModelRegistry.standard(), KeyMappings.standard()).execute(args));
    }

    /** The program with these architectures and name mappings; tests register their own. */
    public static CommandLine commandLine(ModelRegistry models, KeyMappings mappings) {
        return commandLine(models, mappings, Recipes.standard(), RunReport::write);
    }

    /** The program with these architectures, name mappings, recipes and report writer; tests give their own. */
    static CommandLine commandLine(ModelRegistry models, KeyMappings mappings, Recipes recipes, ReportWriter reports) {
        CommandLine cl = new CommandLine(new Weft());
        cl.addSubcommand(new InfoCommand());
        cl.addSubcommand(new ConvertCommand(mappings));
        cl.addSubcommand(new InferCommand(models));
        CommandLine train = new CommandLine(new TrainCommand(recipes, reports));
        train.getCommandSpec().usageMessage().footer(recipeList(recipes));
        cl.addSubcommand(train);
        cl.addSubcommand(new EvalCommand(recipes));
        cl.addSubcommand(new ReportCommand(reports));
        cl.setExecutionExceptionHandler(Weft::report);
        cl.setParameterExceptionHandler(Weft::usageError);
        return cl;
    }

    /** The footer of {@code weft train --help}: each recipe with its description. */
    private static String[] recipeList(Recipes recipes) {
        String[] lines = new String[recipes.all().size() + 1];
        lines[0] = "%nRecipes:";
        int i = 1;
        for (Recipe r : recipes.all()) {
            lines[i++] = String.format("  %-16s %s", r.name(), r.description().replace("%", "%%"));
        }
        return lines;
    }

    /** A command line picocli could not parse: one line saying what is wrong and where the options are listed. */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        String command = cl.getCommandSpec().qualifiedName();
        cl.getErr().println(command + ": " + e.getMessage() + " (" + command + " --help lists the options)");
        return cl.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** Without a subcommand there is nothing to do but say what there is. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: one of "
                + spec.subcommands().keySet());
    }

    private static int report(Exception e, CommandLine cl, ParseResult parsed) {
        String where = "weft " + cl.getCommandName() + ": ";
        if (e instanceof NoSuchFileException missing) {
            cl.getErr().println(where + "no such file: " + missing.getFile());
            return 1;
        }
        if (e instanceof IOException || e instanceof UncheckedIOException || e instanceof IllegalArgumentException) {
            cl.getErr().println(where + e.getMessage());
            return 1;
        }
        cl.getErr().println(where + "internal error:");
        e.printStackTrace(cl.getErr());
        return 2;
    }

    /** The version Maven wrote into weft-version.properties, or "unknown" outside a build. */
    static String version() {
        try (InputStream in = Weft.class.getResourceAsStream("/org/weft/recipes/weft-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Answers {@code weft --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"Weft " + version()};
        }
    }
}
