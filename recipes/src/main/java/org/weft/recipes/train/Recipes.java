package org.weft.recipes.train;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.weft.recipes.cnn.FashionCnnRecipe;
import org.weft.recipes.mmd.MmdTransferRecipe;

/** The recipes {@code weft train} knows, by name. */
public final class Recipes {

    private final Map<String, Recipe> byName = new LinkedHashMap<>();

    /** The recipes of this build, in the order {@code weft train --help} lists them. */
    public static Recipes standard() {
        return new Recipes()
                .register(new FashionCnnRecipe())
                .register(new MmdTransferRecipe());
    }

    /** Adds {@code recipe} under its name (tests register their own). */
    public Recipes register(Recipe recipe) {
        if (byName.putIfAbsent(recipe.name(), recipe) != null) {
            throw new IllegalArgumentException("a recipe named '" + recipe.name() + "' is already registered");
        }
        return this;
    }

    /** The recipe called {@code name}; an unknown name is an error listing the known ones. */
    public Recipe get(String name) {
        Recipe recipe = byName.get(name);
        if (recipe == null) {
            throw new IllegalArgumentException("unknown recipe '" + name + "'; known: " + String.join(", ", names()));
        }
        return recipe;
    }

    public Collection<String> names() {
        return Collections.unmodifiableSet(byName.keySet());
    }

    public Collection<Recipe> all() {
        return Collections.unmodifiableCollection(byName.values());
    }
}
