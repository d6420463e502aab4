package org.weft.recipes.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.weft.nn.io.KeyMapping;
import org.weft.nn.models.SwinCheckpoints;

/** The state-dict name mappings {@code weft convert --from} knows, by source library. */
public final class KeyMappings {

    private final Map<String, KeyMapping> mappings = new LinkedHashMap<>();

    /** "none" (names kept) and "timm" (timm's and the official repository's Swin names to torchvision's). */
    public static KeyMappings standard() {
        return new KeyMappings().register("none", KeyMapping.NONE).register("timm", SwinCheckpoints::fromTimm);
    }

    /** Adds (or replaces) the mapping for {@code source}; returns this. */
    public KeyMappings register(String source, KeyMapping mapping) {
        mappings.put(source, mapping);
        return this;
    }

    /** The mapping from {@code source}'s names, or an error listing the known sources. */
    public KeyMapping get(String source) {
        KeyMapping m = mappings.get(source);
        if (m == null) {
            throw new IllegalArgumentException("unknown --from '" + source + "'; known: "
                    + String.join(", ", mappings.keySet()));
        }
        return m;
    }
}
