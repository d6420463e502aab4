package org.weft.recipes.train;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A recipe's configuration resolved in layers: the recipe's defaults (those of {@code --quick} when it is
 * given) and the trainer's own keys, then a JSON config file, then command-line flags. Every value keeps the
 * type of its default, so a mistake is caught where it is made, naming the file or flag, the key, the type
 * expected and what came.
 */
public final class Configs implements RecipeConfig {

    /**
     * Keys every recipe has, unless it declares them itself: the seed of the run, how often the trainer logs
     * (steps), evaluates and checkpoints (epochs).
     */
    public static final Map<String, Object> TRAINER_DEFAULTS = Collections.unmodifiableMap(new LinkedHashMap<>(
            Map.of("seed", 0L, "log_every", 10, "eval_every", 1, "checkpoint_every", 1)));

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final LinkedHashMap<String, Object> values;

    private Configs(LinkedHashMap<String, Object> values) {
        this.values = values;
    }

    /** The defaults of {@code recipe} ({@code --quick}'s when {@code quick}), followed by the trainer's keys. */
    public static Configs defaults(Recipe recipe, boolean quick) {
        LinkedHashMap<String, Object> values = new LinkedHashMap<>(recipe.defaults(quick));
        for (String key : List.of("seed", "log_every", "eval_every", "checkpoint_every")) {
            values.putIfAbsent(key, TRAINER_DEFAULTS.get(key));
        }
        values.forEach((key, value) -> {
            if (typeName(value) == null) {
                throw new IllegalStateException("recipe " + recipe.name() + ": default of '" + key + "' is a "
                        + (value == null ? "null" : value.getClass().getSimpleName())
                        + "; defaults must be Integer, Long, Double, Boolean, String or List<String>");
            }
        });
        return new Configs(values);
    }

    /**
     * This configuration overridden by the JSON object in {@code file}, e.g. {@code {"epochs": 3, "lr": 0.01}}.
     *
     * @throws IOException naming the file with line and column when it is not valid JSON
     * @throws IllegalArgumentException naming the file and the key for an unknown key or a value of another type
     */
    public Configs withFile(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            throw new IOException(file + ":" + e.getLocation().getLineNr() + ":" + e.getLocation().getColumnNr()
                    + ": " + e.getOriginalMessage().replace('\n', ' '), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + ": a config file holds a JSON object of settings such as"
                    + " {\"epochs\": 3}, got " + describe(root));
        }
        return withJson(root, file.toString());
    }

    /**
     * The configuration a run folder recorded in its config.json, checked against {@code recipe}'s keys and types
     * as a config file is: a resumed run or {@code weft eval} runs under exactly the configuration of the run.
     */
    public static Configs recorded(Recipe recipe, RunFolder folder) throws IOException {
        RunFolder.Recorded recorded = folder.readConfig();
        return defaults(recipe, recorded.quick()).withJson(recorded.config(), folder.configFile().toString());
    }

    /** This configuration overridden by the settings of a JSON object; {@code source} names it in errors. */
    Configs withJson(JsonNode object, String source) {
        LinkedHashMap<String, Object> next = new LinkedHashMap<>(values);
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            Object old = values.get(key);
            if (old == null) {
                throw new IllegalArgumentException(source + ": unknown key '" + key + "'; known keys: " + known());
            }
            Object value = fromJson(old, e.getValue());
            if (value == null) {
                throw new IllegalArgumentException(source + ": key '" + key + "' expects " + typeName(old) + ", got "
                        + describe(e.getValue()));
            }
            next.put(key, value);
        }
        return new Configs(next);
    }

    /**
     * This configuration with {@code key} set from command-line text, parsed as the type of its default
     * (a list is comma-separated); {@code flag} names the flag in errors, e.g. {@code --set lr=0.1}.
     */
    public Configs with(String key, String text, String flag) {
        Object old = values.get(key);
        if (old == null) {
            throw new IllegalArgumentException(flag + ": unknown key '" + key + "'; known keys: " + known());
        }
        Object value = parse(old, text.trim());
        if (value == null) {
            throw new IllegalArgumentException(flag + ": '" + key + "' expects " + typeName(old) + ", got '" + text
                    + "'");
        }
        LinkedHashMap<String, Object> next = new LinkedHashMap<>(values);
        next.put(key, value);
        return new Configs(next);
    }

    /** Applies one {@code --set key=value}. */
    public Configs withSetting(String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("--set expects key=value, got '" + assignment + "'");
        }
        return with(assignment.substring(0, eq).trim(), assignment.substring(eq + 1), "--set " + assignment);
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** The resolved values in order, as config.json records them. */
    public Map<String, Object> values() {
        return Collections.unmodifiableMap(values);
    }

    /** The trainer's cadence from {@code log_every}, {@code eval_every} and {@code checkpoint_every}. */
    public Trainer.Settings trainerSettings() {
        return new Trainer.Settings(integer("log_every"), integer("eval_every"), integer("checkpoint_every"));
    }

    @Override
    public int integer(String key) {
        if (get(key) instanceof Integer i) {
            return i;
        }
        throw wrongType(key, "an integer");
    }

    @Override
    public long longValue(String key) {
        if (get(key) instanceof Integer || get(key) instanceof Long) {
            return ((Number) get(key)).longValue();
        }
        throw wrongType(key, "an integer");
    }

    @Override
    public double number(String key) {
        if (get(key) instanceof Number n) {
            return n.doubleValue();
        }
        throw wrongType(key, "a number");
    }

    @Override
    public boolean flag(String key) {
        if (get(key) instanceof Boolean b) {
            return b;
        }
        throw wrongType(key, "true or false");
    }

    @Override
    public String string(String key) {
        if (get(key) instanceof String s) {
            return s;
        }
        throw wrongType(key, "a string");
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<String> strings(String key) {
        if (get(key) instanceof List<?> list) {
            return (List<String>) list;
        }
        throw wrongType(key, "a list of strings");
    }

    @Override
    public String toString() {
        return values.toString();
    }

    private Object get(String key) {
        if (!values.containsKey(key)) {
            throw new IllegalArgumentException("config has no key '" + key + "'; known keys: " + known());
        }
        return values.get(key);
    }

    private IllegalArgumentException wrongType(String key, String wanted) {
        Object v = values.get(key);
        return new IllegalArgumentException("config key '" + key + "' is " + typeName(v) + " (" + v + "), not "
                + wanted);
    }

    private String known() {
        return String.join(", ", values.keySet());
    }

    /** What a value of the type of {@code example} is, for messages; null for a type configs cannot hold. */
    static String typeName(Object example) {
        if (example instanceof Integer || example instanceof Long) {
            return "an integer";
        } else if (example instanceof Double) {
            return "a number";
        } else if (example instanceof Boolean) {
            return "true or false";
        } else if (example instanceof String) {
            return "a string";
        } else if (example instanceof List<?> list && list.stream().allMatch(x -> x instanceof String)) {
            return "a list of strings";
        }
        return null;
    }

    /** {@code node} as the type of {@code example}, or null when it is of another type. */
    private static Object fromJson(Object example, JsonNode node) {
        if (example instanceof Integer) {
            return node.isIntegralNumber() && node.canConvertToInt() ? (Object) node.intValue() : null;
        } else if (example instanceof Long) {
            return node.isIntegralNumber() && node.canConvertToLong() ? (Object) node.longValue() : null;
        } else if (example instanceof Double) {
            return node.isNumber() ? (Object) node.doubleValue() : null;
        } else if (example instanceof Boolean) {
            return node.isBoolean() ? (Object) node.booleanValue() : null;
        } else if (example instanceof String) {
            return node.isTextual() ? node.textValue() : null;
        }
        if (!node.isArray()) {
            return null;
        }
        List<String> list = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                return null;
            }
            list.add(item.textValue());
        }
        return List.copyOf(list);
    }

    /** {@code text} as the type of {@code example}, or null when it does not parse as one. */
    private static Object parse(Object example, String text) {
        try {
            if (example instanceof Integer) {
                return Integer.parseInt(text);
            } else if (example instanceof Long) {
                return Long.parseLong(text);
            } else if (example instanceof Double) {
                return Double.parseDouble(text);
            }
        } catch (NumberFormatException e) {
            return null;
        }
        if (example instanceof Boolean) {
            String t = text.toLowerCase(Locale.ROOT);
            return t.equals("true") ? Boolean.TRUE : t.equals("false") ? Boolean.FALSE : null;
        } else if (example instanceof String) {
            return text;
        }
        List<String> list = new ArrayList<>();
        if (!text.isEmpty()) {
            for (String item : text.split(",", -1)) {
                list.add(item.trim());
            }
        }
        return List.copyOf(list);
    }

    /** A JSON value as a message shows it: its kind and, when short, itself. */
    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        String kind = node.isNull() ? "null" : node.isTextual() ? "a string" : node.isBoolean() ? "a boolean"
                : node.isIntegralNumber() ? "an integer" : node.isNumber() ? "a number" : node.isArray() ? "an array"
                : node.isObject() ? "an object" : node.getNodeType().toString().toLowerCase(Locale.ROOT);
        if (node.isNull()) {
            return kind;
        }
        String text = node.toString();
        return kind + " " + (text.length() > 40 ? text.substring(0, 37) + "..." : text);
    }
}
