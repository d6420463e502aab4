package org.weft.nn.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A learning-rate schedule driving an optimiser, as {@code torch.optim.lr_scheduler}: call
 * {@link #step()} once after each {@code optimizer.step()} (per epoch or per iteration, as
 * the schedule is meant), and it sets every group's {@code lr} for the next step.
 *
 * <p>Creating a scheduler already sets the learning rate of step 0 (a warm-up's small
 * starting rate, for instance) and records each group's {@code initial_lr}, from which the
 * schedule is computed. The counter {@link #lastEpoch()} is the number of {@code step()} calls.
 */
public abstract class LRScheduler {

    private final Optimizer optimizer;
    private double[] baseLrs;
    private int lastEpoch = -1;
    private int stepCount;
    private double[] lastLr;

    protected LRScheduler(Optimizer optimizer) {
        this.optimizer = Objects.requireNonNull(optimizer, "scheduler: optimizer");
    }

    /**
     * Records {@code initial_lr} in every group and sets step 0's learning rate. Every
     * subclass constructor ends with it, once its own fields are set, because the schedule
     * needs them (PyTorch does the same from its base constructor, which Java cannot).
     */
    protected final void start() {
        List<ParamGroup> groups = optimizer.paramGroups();
        baseLrs = new double[groups.size()];
        for (int i = 0; i < baseLrs.length; i++) {
            ParamGroup g = groups.get(i);
            if (!g.has(Optimizer.INITIAL_LR)) {
                g.set(Optimizer.INITIAL_LR, g.lr());
            }
            baseLrs[i] = g.getDouble(Optimizer.INITIAL_LR);
        }
        step();
    }

    /** Advances the schedule by one and sets every group's learning rate. */
    public void step() {
        stepCount++;
        lastEpoch++;
        double[] lrs = computeLr();
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < lrs.length; i++) {
            groups.get(i).setLr(lrs[i]);
        }
        lastLr = lrs.clone();
    }

    /**
     * The learning rates for {@link #lastEpoch()} (already advanced), one per group. A
     * schedule may read the groups' current rates ({@link #currentLrs()}) and update them, as
     * PyTorch's "chainable" forms do, or compute them from {@link #baseLrs()} in closed form.
     */
    protected abstract double[] computeLr();

    /** The learning rate of each group as set by the last step, as {@code get_last_lr()}. */
    public double[] lastLr() {
        return lastLr.clone();
    }

    /** How many times {@link #step()} has run since creation (0 right after it). */
    public int lastEpoch() {
        return lastEpoch;
    }

    protected final double[] baseLrs() {
        return baseLrs.clone();
    }

    protected final double[] currentLrs() {
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] out = new double[groups.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = groups.get(i).lr();
        }
        return out;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    // ---------------------------------------------------------------- state dict

    /**
     * The scheduler's state as JSON-able values (numbers, lists of numbers, strings), with
     * PyTorch's key names: {@code last_epoch}, {@code _step_count}, {@code base_lrs},
     * {@code _last_lr}, the schedule's hyper-parameters, and {@code type}.
     */
    public Map<String, Object> stateDict() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", getClass().getSimpleName());
        out.put("last_epoch", lastEpoch);
        out.put("_step_count", stepCount);
        out.put("base_lrs", toList(baseLrs));
        out.put("_last_lr", toList(lastLr));
        out.putAll(hyperParameters());
        return out;
    }

    /**
     * Restores the counters and rates of a {@link #stateDict()}. The schedule itself comes
     * from this object's constructor, so a state saved by another type of scheduler, or with
     * other hyper-parameters, is refused rather than silently mixed.
     */
    public void loadStateDict(Map<String, ?> state) {
        Object type = state.get("type");
        if (!getClass().getSimpleName().equals(type)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".loadStateDict: the state is of a "
                    + type + ", not a " + getClass().getSimpleName());
        }
        for (Map.Entry<String, Object> h : hyperParameters().entrySet()) {
            Object saved = state.get(h.getKey());
            if (!sameValue(h.getValue(), saved)) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ".loadStateDict: saved " + h.getKey()
                        + " is " + saved + " but this scheduler has " + h.getValue());
            }
        }
        double[] base = doubles(state, "base_lrs");
        double[] last = doubles(state, "_last_lr");
        int groups = optimizer.paramGroups().size();
        if (base.length != groups || last.length != groups) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".loadStateDict: the state is for "
                    + base.length + " parameter groups, the optimizer has " + groups);
        }
        lastEpoch = integer(state, "last_epoch");
        stepCount = integer(state, "_step_count");
        baseLrs = base;
        lastLr = last;
    }

    /** The schedule's own settings by PyTorch name, as JSON-able values; checked on load. */
    protected abstract Map<String, Object> hyperParameters();

    private boolean sameValue(Object mine, Object saved) {
        if (mine instanceof Number a && saved instanceof Number b) {
            return a.doubleValue() == b.doubleValue();
        }
        if (mine instanceof List<?> a && saved instanceof List<?> b && a.size() == b.size()) {
            for (int i = 0; i < a.size(); i++) {
                if (!sameValue(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(mine, saved);
    }

    static List<Double> toList(double[] values) {
        Double[] boxed = new Double[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return List.of(boxed);
    }

    private double[] doubles(Map<String, ?> state, String key) {
        Object v = state.get(key);
        if (v instanceof double[] a) {
            return a.clone();
        }
        if (v instanceof List<?> l) {
            double[] out = new double[l.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(l.get(i) instanceof Number n)) {
                    throw badState(key, v);
                }
                out[i] = n.doubleValue();
            }
            return out;
        }
        throw badState(key, v);
    }

    private int integer(Map<String, ?> state, String key) {
        Object v = state.get(key);
        if (v instanceof Number n && n.doubleValue() == n.intValue()) {
            return n.intValue();
        }
        throw badState(key, v);
    }

    private IllegalArgumentException badState(String key, Object v) {
        return new IllegalArgumentException(getClass().getSimpleName() + ".loadStateDict: '" + key
                + "' is missing or malformed: " + v);
    }
}
