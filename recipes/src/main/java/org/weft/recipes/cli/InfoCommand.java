package org.weft.recipes.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.weft.tensor.backend.Backends;
import org.weft.tensor.cpu.CpuThreads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code weft info}: what this build is and what it will run on. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Prints versions, devices, threads and the CPU's vector width.")
final class InfoCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.println("Weft       " + Weft.version());
        out.println("Java       " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor")
                + ", " + System.getProperty("java.vm.name") + ")");
        out.println("OS         " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " ("
                + System.getProperty("os.arch") + ")");
        out.println("CPU cores  " + Runtime.getRuntime().availableProcessors() + " available to the JVM");
        String env = System.getenv("WEFT_NUM_THREADS");
        out.println("Threads    " + CpuThreads.count() + " for CPU kernels ("
                + (env == null ? "WEFT_NUM_THREADS unset: one per core" : "WEFT_NUM_THREADS=" + env) + ")");
        out.println("Vectors    " + vectorWidth());
        out.println("Devices    cpu");
        // Probes the driver (once): the line says which GPUs there are, or why none is usable.
        for (String line : Backends.describeCuda()) {
            out.println("           " + line);
        }
        out.println("Max heap   " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
        return 0;
    }

    /** The preferred float vector of the Vector API, which the CPU kernels use. */
    private static String vectorWidth() {
        try {
            var species = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;
            return species.length() + " floats per vector (" + species.vectorBitSize() + "-bit, Vector API)";
        } catch (NoClassDefFoundError e) {
            return "Vector API unavailable (run the JVM with --add-modules jdk.incubator.vector)";
        }
    }
}
