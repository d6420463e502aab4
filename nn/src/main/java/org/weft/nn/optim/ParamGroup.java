package org.weft.nn.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.weft.autograd.Tensor;

/**
 * A list of parameters trained with one set of hyper-parameters, as an entry of PyTorch's
 * {@code optimizer.param_groups}: the options are keyed by PyTorch's names ({@code "lr"},
 * {@code "weight_decay"}, {@code "momentum"}, {@code "betas"}, ...).
 *
 * <p>A group given to an optimiser names only what it overrides; the optimiser fills the rest
 * from its defaults. Fine-tuning a backbone slower than a new head:
 *
 * <pre>{@code
 * var opt = new SGD(SGD.options().lr(1e-2).momentum(0.9),
 *         ParamGroup.of(backbone.parameters()).set("lr", 1e-3),
 *         ParamGroup.of(head.parameters()));
 * }</pre>
 *
 * Schedulers change {@code lr} between steps with {@link #setLr}.
 */
public final class ParamGroup {

    private final List<Tensor> params;
    private final Map<String, Object> options = new LinkedHashMap<>();

    private ParamGroup(List<Tensor> params) {
        this.params = List.copyOf(params);
    }

    /** A group of {@code params} that overrides nothing yet. */
    public static ParamGroup of(List<Tensor> params) {
        Objects.requireNonNull(params, "ParamGroup.of: params");
        for (Tensor p : params) {
            Objects.requireNonNull(p, "ParamGroup.of: a parameter is null");
        }
        return new ParamGroup(params);
    }

    /**
     * Sets option {@code key} for this group and returns the group. Values are numbers,
     * booleans or (for {@code "betas"}) a {@code double[]} pair; a List of numbers, as read
     * back from JSON, is taken as a {@code double[]}.
     */
    public ParamGroup set(String key, Object value) {
        Objects.requireNonNull(key, "ParamGroup.set: key");
        Objects.requireNonNull(value, "ParamGroup.set: value of '" + key + "'");
        if (value instanceof List<?> list) {
            double[] a = new double[list.size()];
            for (int i = 0; i < a.length; i++) {
                if (!(list.get(i) instanceof Number n)) {
                    throw new IllegalArgumentException("ParamGroup.set: option '" + key + "' must be a list of numbers,"
                            + " got " + list);
                }
                a[i] = n.doubleValue();
            }
            value = a;
        }
        if (value instanceof double[] pair) {
            value = pair.clone();
        } else if (value instanceof Number n) {
            value = n.doubleValue();
        } else if (!(value instanceof Boolean)) {
            throw new IllegalArgumentException("ParamGroup.set: option '" + key + "' must be a number, a boolean or a"
                    + " double[], got " + value.getClass().getSimpleName());
        }
        options.put(key, value);
        return this;
    }

    /** The parameters, in the order the optimiser updates them. */
    public List<Tensor> params() {
        return params;
    }

    /** The options by PyTorch name (read-only; arrays are shared, do not write into them). */
    public Map<String, Object> options() {
        return Collections.unmodifiableMap(options);
    }

    public boolean has(String key) {
        return options.containsKey(key);
    }

    /** The learning rate of this group. */
    public double lr() {
        return getDouble("lr");
    }

    /** Sets the learning rate, as a scheduler does between steps. */
    public void setLr(double lr) {
        options.put("lr", lr);
    }

    public double weightDecay() {
        return getDouble("weight_decay");
    }

    public double getDouble(String key) {
        Object v = require(key);
        if (!(v instanceof Double d)) {
            throw new IllegalStateException("parameter group option '" + key + "' is not a number: " + describe(v));
        }
        return d;
    }

    public boolean getBoolean(String key) {
        Object v = require(key);
        if (!(v instanceof Boolean b)) {
            throw new IllegalStateException("parameter group option '" + key + "' is not a boolean: " + describe(v));
        }
        return b;
    }

    /** A copy of an array option such as {@code "betas"}. */
    public double[] getDoubles(String key) {
        Object v = require(key);
        if (!(v instanceof double[] a)) {
            throw new IllegalStateException("parameter group option '" + key + "' is not a double[]: " + describe(v));
        }
        return a.clone();
    }

    private Object require(String key) {
        Object v = options.get(key);
        if (v == null) {
            throw new IllegalStateException("parameter group has no option '" + key + "'; it has " + options.keySet());
        }
        return v;
    }

    static String describe(Object v) {
        return v instanceof double[] a ? java.util.Arrays.toString(a) : String.valueOf(v);
    }

    /** Sets each option of {@code defaults} that this group does not set itself; returns this group. */
    ParamGroup fill(Map<String, Object> defaults) {
        defaults.forEach((k, v) -> {
            if (!options.containsKey(k)) {
                set(k, v);
            }
        });
        return this;
    }

    /** Replaces every option (loading an optimiser's state dict). */
    void replaceOptions(Map<String, Object> values) {
        options.clear();
        values.forEach(this::set);
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("ParamGroup(").append(params.size()).append(" params");
        options.forEach((k, v) -> out.append(", ").append(k).append('=').append(describe(v)));
        return out.append(')').toString();
    }

    static List<Tensor> flatten(List<ParamGroup> groups) {
        List<Tensor> out = new ArrayList<>();
        for (ParamGroup g : groups) {
            out.addAll(g.params());
        }
        return out;
    }
}
