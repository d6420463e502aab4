package org.weft.recipes.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The architectures {@code weft infer --arch} knows, by name. */
public final class ModelRegistry {

    private final Map<String, ModelFactory> factories = new LinkedHashMap<>();

    /**
     * The architectures of the model zoo. Empty until the zoo's models register here
     * (resnet50, googlenet, swin_t, swin_s, swin_b, swin_l).
     */
    public static ModelRegistry standard() {
        return new ModelRegistry();
    }

    /** Adds (or replaces) architecture {@code name}; returns this registry. */
    public ModelRegistry register(String name, ModelFactory factory) {
        factories.put(name, factory);
        return this;
    }

    /** The known names, in registration order. */
    public List<String> names() {
        return new ArrayList<>(factories.keySet());
    }

    /** Builds {@code name} with {@code numClasses} outputs, or says which names exist. */
    public InferenceModel create(String name, int numClasses) {
        ModelFactory f = factories.get(name);
        if (f == null) {
            throw new IllegalArgumentException("unknown architecture '" + name + "'; known: "
                    + (factories.isEmpty() ? "none in this build" : String.join(", ", factories.keySet())));
        }
        if (numClasses < 1) {
            throw new IllegalArgumentException("--num-classes must be at least 1, got " + numClasses);
        }
        return f.create(numClasses);
    }
}
