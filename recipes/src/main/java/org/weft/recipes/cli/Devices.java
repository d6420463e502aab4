package org.weft.recipes.cli;

import java.io.PrintStream;
import java.util.Locale;

import org.weft.tensor.Device;

/** The {@code --device} option of {@code weft train} and {@code weft eval}: auto, cpu or cuda. */
final class Devices {

    private Devices() {
    }

    /**
     * The device {@code spec} names, saying on {@code log} what was chosen and why. The CUDA backend can allocate
     * and launch kernels, but the engine's ops are not wired to them yet, so training runs on the CPU whatever
     * the machine has.
     */
    static Device choose(String spec, PrintStream log) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("auto")) {
            log.println("device: cpu (auto: the CUDA backend does not run the engine's ops yet)");
            return Device.CPU;
        }
        if (s.equals("cpu")) {
            log.println("device: cpu");
            return Device.CPU;
        }
        if (s.equals("cuda") || s.startsWith("cuda:")) {
            throw new IllegalArgumentException("--device " + spec + ": the CUDA backend does not run the engine's ops"
                    + " yet; use --device cpu");
        }
        throw new IllegalArgumentException("--device must be auto, cpu or cuda, got '" + spec + "'");
    }
}
