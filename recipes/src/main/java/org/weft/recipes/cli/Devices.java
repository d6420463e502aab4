package org.weft.recipes.cli;

import java.io.PrintStream;
import java.util.Locale;

import org.weft.tensor.Device;

/** The {@code --device} option of {@code weft train} and {@code weft eval}: auto, cpu or cuda. */
final class Devices {

    private Devices() {
    }

    /**
     * The device {@code spec} names, saying on {@code log} what was chosen and why. The CUDA backend wires most
     * op families to kernels, but not the losses and the indexing ops, and none of it has run on a GPU yet, so
     * training runs on the CPU whatever the machine has.
     */
    static final String CUDA_NOT_READY = "the CUDA backend lacks the losses and indexing ops and has not yet run"
            + " on a GPU";

    static Device choose(String spec, PrintStream log) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("auto")) {
            log.println("device: cpu (auto: " + CUDA_NOT_READY + ")");
            return Device.CPU;
        }
        if (s.equals("cpu")) {
            log.println("device: cpu");
            return Device.CPU;
        }
        if (s.equals("cuda") || s.startsWith("cuda:")) {
            throw new IllegalArgumentException("--device " + spec + ": " + CUDA_NOT_READY + "; use --device cpu");
        }
        throw new IllegalArgumentException("--device must be auto, cpu or cuda, got '" + spec + "'");
    }
}
