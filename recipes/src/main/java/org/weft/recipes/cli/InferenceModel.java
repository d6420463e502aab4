package org.weft.recipes.cli;

import java.util.Map;
import org.weft.autograd.Tensor;
import org.weft.nn.DropPath;
import org.weft.nn.Dropout;
import org.weft.nn.Module;

/**
 * A model as {@code weft infer} runs it: the module whose parameters and buffers are loaded
 * and reported, and a forward pass that names its outputs.
 */
public interface InferenceModel {

    /** The two modes of {@code weft infer --mode}. */
    enum Mode {
        EVAL, TRAIN;

        /** "eval" or "train", as the command line spells them. */
        static Mode parse(String s) {
            return switch (s) {
                case "eval" -> EVAL;
                case "train" -> TRAIN;
                default -> throw new IllegalArgumentException("--mode must be eval or train, got '" + s + "'");
            };
        }
    }

    /** The network; its state dict is what --weights must hold. */
    Module module();

    /**
     * Runs the network on {@code input} (N, 3, H, W) in {@code mode}, which the caller has
     * already set on {@link #module()}. Returns "logits", and "aux1", "aux2" where the
     * architecture has auxiliary heads active in that mode (GoogLeNet in training).
     */
    Map<String, Tensor> forward(Tensor input, Mode mode);

    /**
     * Turns dropout and stochastic depth off, so that train mode is deterministic (batch
     * statistics and running-statistic updates stay). Called after the mode is set. The
     * default puts every {@link Dropout} and {@link DropPath} in eval mode, where both are
     * the identity; a model that drops in another way overrides it.
     */
    default void disableStochasticLayers() {
        for (Module m : module().namedModules().values()) {
            if (m instanceof Dropout || m instanceof DropPath) {
                m.eval();
            }
        }
    }

    /** A model whose only output is its module's forward, as "logits". */
    static InferenceModel of(Module module) {
        return new InferenceModel() {
            @Override
            public Module module() {
                return module;
            }

            @Override
            public Map<String, Tensor> forward(Tensor input, Mode mode) {
                return Map.of("logits", module.call(input));
            }
        };
    }
}
