package org.weft.recipes.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The {@code weft} command-line program: {@code weft info}, {@code weft convert},
 * {@code weft infer}, one class per subcommand.
 *
 * <p>Errors a user can fix (a missing file, a wrong shape, an unknown name) print one line,
 * {@code weft <command>: <what is wrong>}, and exit with status 1; anything else is a bug and
 * prints its stack trace with status 2.
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
        CommandLine cl = new CommandLine(new Weft());
        cl.addSubcommand(new InfoCommand());
        cl.addSubcommand(new ConvertCommand(mappings));
        cl.addSubcommand(new InferCommand(models));
        cl.addSubcommand(new TrainCommand());
        cl.setExecutionExceptionHandler(Weft::report);
        return cl;
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
