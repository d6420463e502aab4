package org.weft.recipes.train;

import java.util.List;

/**
 * A recipe's resolved configuration: its defaults, overridden by a config file and then by command-line
 * flags. Getters fail with a message naming the key when it is absent or of another type.
 */
public interface RecipeConfig {

    int integer(String key);

    long longValue(String key);

    double number(String key);

    boolean flag(String key);

    String string(String key);

    List<String> strings(String key);
}
