package org.weft.nn.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.weft.autograd.Grad;
import org.weft.autograd.Tensor;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;

/**
 * The common part of every optimiser, as {@code torch.optim.Optimizer}: parameter groups
 * with their hyper-parameters, per-parameter state, {@link #step()}, {@link #zeroGrad()} and
 * a state dict that can be saved and loaded.
 *
 * <p>A subclass supplies its default hyper-parameters, checks a group's values, and writes
 * the update of one parameter in {@link #update}; the base calls it for every parameter
 * that has a gradient, group by group, in order, with gradient recording off.
 */
public abstract class Optimizer {

    /** The one option a group may hold whatever the optimiser: the rate a scheduler's schedule starts from. */
    static final String INITIAL_LR = "initial_lr";

    private final String name;
    private final Map<String, Object> defaults;
    private final List<ParamGroup> groups = new ArrayList<>();
    private final Map<Tensor, Map<String, NDArray>> state = new IdentityHashMap<>();

    /**
     * Checks {@code defaults}, then adds each group, filling what it does not set from
     * {@code defaults}.
     */
    protected Optimizer(String name, Map<String, Object> defaults, List<ParamGroup> groups) {
        this.name = name;
        this.defaults = Collections.unmodifiableMap(new LinkedHashMap<>(defaults));
        checkOptions(ParamGroup.of(List.of()).fill(this.defaults), "");
        if (groups.isEmpty() || ParamGroup.flatten(groups).isEmpty()) {
            throw new IllegalArgumentException(name + ": optimizer got an empty parameter list");
        }
        for (ParamGroup g : groups) {
            addParamGroup(g);
        }
    }

    /**
     * Adds a group of parameters (a layer unfrozen during fine-tuning). The group object is
     * kept, with the options it lacks filled from the defaults, so changing its
     * {@code lr} later changes the optimiser's.
     */
    public void addParamGroup(ParamGroup group) {
        Objects.requireNonNull(group, name + ".addParamGroup: group");
        String where = " (parameter group " + groups.size() + ")";
        Set<String> known = new LinkedHashSet<>(defaults.keySet());
        known.add(INITIAL_LR);
        for (String key : group.options().keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException(name + ": unknown hyper-parameter '" + key + "'" + where
                        + "; expected one of " + known);
            }
        }
        Set<Tensor> inGroup = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Tensor p : group.params()) {
            if (!p.isLeaf()) {
                throw new IllegalArgumentException(name + ": can't optimize a non-leaf Tensor" + where
                        + "; it was made by " + p.gradFn().name() + " (optimise the leaf it came from)");
            }
            if (!p.dtype().isFloatingPoint()) {
                throw new IllegalArgumentException(name + ": can only optimize floating-point tensors, got "
                        + p.dtype() + where);
            }
            if (!inGroup.add(p)) {
                throw new IllegalArgumentException(name + ": a parameter appears twice in one parameter group" + where
                        + "; it would be updated twice per step");
            }
            for (ParamGroup other : groups) {
                for (Tensor q : other.params()) {
                    if (q == p) {
                        throw new IllegalArgumentException(name + ": some parameters appear in more than one"
                                + " parameter group" + where);
                    }
                }
            }
        }
        group.fill(defaults);
        checkOptions(group, where);
        groups.add(group);
    }

    /**
     * Checks a group's hyper-parameters (all present) with PyTorch's messages, e.g.
     * "Invalid learning rate: -0.1"; {@code where} names the group for the message. The base
     * constructor calls it on the defaults, before a subclass's own fields are set, so it
     * must read only the group.
     */
    protected abstract void checkOptions(ParamGroup group, String where);

    /**
     * Updates one parameter in place from its gradient. {@code state} is this parameter's
     * own (empty before its first step) and persists between steps.
     */
    protected abstract void update(ParamGroup group, NDArray param, NDArray grad, Map<String, NDArray> state);

    /** Performs one optimisation step on every parameter that has a gradient. */
    public void step() {
        try (var noGrad = Grad.disabled()) {
            for (ParamGroup group : groups) {
                for (Tensor p : group.params()) {
                    // A parameter with no gradient took no part in the loss: PyTorch leaves it,
                    // and its momentum, untouched (a zero gradient would still move it).
                    if (p.grad() != null) {
                        update(group, p.data(), p.grad().data(), state.computeIfAbsent(p, k -> new LinkedHashMap<>()));
                    }
                }
            }
        }
    }

    /** Clears every parameter's gradient, as {@code zero_grad(set_to_none=True)}. */
    public void zeroGrad() {
        for (ParamGroup group : groups) {
            for (Tensor p : group.params()) {
                p.setGrad(null);
            }
        }
    }

    /** The groups, in order; change a group's {@code lr} through {@link ParamGroup#setLr}. */
    public List<ParamGroup> paramGroups() {
        return Collections.unmodifiableList(groups);
    }

    /** The defaults a group's missing options are filled from. */
    public Map<String, Object> defaults() {
        return defaults;
    }

    /** The state of one parameter ({@code "momentum_buffer"}, {@code "exp_avg"}, ...), read-only; empty before its first step. */
    public Map<String, NDArray> state(Tensor param) {
        Map<String, NDArray> s = state.get(param);
        return s == null ? Map.of() : Collections.unmodifiableMap(s);
    }

    public String name() {
        return name;
    }

    // ---------------------------------------------------------------- state dict

    /**
     * The optimiser's state in a saveable form, as PyTorch's {@code state_dict()}: parameters
     * are named by their index across the groups (0, 1, ... in group order), state tensors by
     * {@code "<index>.<name>"}, and each group's options are listed with {@code "params"},
     * the indices of its parameters.
     *
     * @param tensors copies of the state tensors, keyed {@code "<param index>.<state name>"}
     * @param paramGroups each group's options (numbers, booleans, double[]) plus {@code "params"}: a List of Integer
     */
    public record StateDict(Map<String, NDArray> tensors, List<Map<String, Object>> paramGroups) {
    }

    /** A snapshot of this optimiser's state: later steps do not change it. */
    public StateDict stateDict() {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        List<Map<String, Object>> saved = new ArrayList<>();
        int index = 0;
        for (ParamGroup g : groups) {
            Map<String, Object> options = new LinkedHashMap<>();
            g.options().forEach((k, v) -> options.put(k, v instanceof double[] a ? a.clone() : v));
            List<Integer> ids = new ArrayList<>();
            for (Tensor p : g.params()) {
                Map<String, NDArray> s = state.get(p);
                if (s != null) {
                    for (Map.Entry<String, NDArray> e : s.entrySet()) {
                        tensors.put(index + "." + e.getKey(), e.getValue().copy());
                    }
                }
                ids.add(index++);
            }
            options.put("params", ids);
            saved.add(options);
        }
        return new StateDict(tensors, saved);
    }

    /**
     * Replaces this optimiser's state and hyper-parameters with saved ones, as PyTorch's
     * {@code load_state_dict}: the groups must have the same sizes; state tensors are copied,
     * converted to their parameter's dtype (except {@code step}). Everything is checked
     * before anything changes.
     */
    public void loadStateDict(StateDict saved) {
        List<Map<String, Object>> savedGroups = saved.paramGroups();
        if (savedGroups.size() != groups.size()) {
            throw new IllegalArgumentException(name + ": loaded state dict has a different number of parameter groups ("
                    + savedGroups.size() + ") than the optimizer (" + groups.size() + ")");
        }
        List<Tensor> params = ParamGroup.flatten(groups);
        List<ParamGroup> checked = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            Map<String, Object> options = new LinkedHashMap<>(savedGroups.get(i));
            Object ids = options.remove("params");
            int size = ids instanceof List<?> l ? l.size() : -1;
            if (size != groups.get(i).params().size()) {
                throw new IllegalArgumentException(name + ": loaded state dict contains a parameter group that doesn't"
                        + " match the size of optimizer's group (group " + i + ": " + size + " saved, "
                        + groups.get(i).params().size() + " here)");
            }
            ParamGroup g = ParamGroup.of(List.of());
            options.forEach(g::set);
            Set<String> known = new LinkedHashSet<>(defaults.keySet());
            known.add(INITIAL_LR);
            if (!known.containsAll(options.keySet()) || !options.keySet().containsAll(defaults.keySet())) {
                throw new IllegalArgumentException(name + ": loaded parameter group " + i + " has options "
                        + options.keySet() + "; expected " + defaults.keySet() + " (a state dict of another optimizer?)");
            }
            checkOptions(g, " (loaded parameter group " + i + ")");
            checked.add(g);
        }
        Map<Tensor, Map<String, NDArray>> loaded = new IdentityHashMap<>();
        for (Map.Entry<String, NDArray> e : saved.tensors().entrySet()) {
            String key = e.getKey();
            int dot = key.indexOf('.');
            int index;
            try {
                index = dot < 0 ? -1 : Integer.parseInt(key.substring(0, dot));
            } catch (NumberFormatException ex) {
                index = -1;
            }
            if (index < 0 || index >= params.size()) {
                throw new IllegalArgumentException(name + ": loaded state tensor '" + key + "' does not name a parameter"
                        + " index from 0 to " + (params.size() - 1) + " as '<index>.<state name>'");
            }
            String stateName = key.substring(dot + 1);
            Tensor p = params.get(index);
            NDArray value = e.getValue();
            if (stateName.equals("step")) {
                value = value.copy();
            } else {
                if (!value.shape().equals(p.shape())) {
                    throw new IllegalArgumentException(name + ": loaded state '" + key + "' has shape " + value.shape()
                            + " but parameter " + index + " has shape " + p.shape());
                }
                value = value.dtype() == p.dtype() ? value.copy() : value.to(p.dtype());
            }
            loaded.computeIfAbsent(p, k -> new LinkedHashMap<>()).put(stateName, value);
        }
        state.clear();
        state.putAll(loaded);
        for (int i = 0; i < groups.size(); i++) {
            groups.get(i).replaceOptions(checked.get(i).options());
        }
    }

    /** A new zero array shaped and typed as {@code like}, for a state buffer. */
    protected static NDArray zerosLike(NDArray like) {
        return NDArray.zeros(like.dtype(), like.device(), like.dims());
    }

    /** The step counter PyTorch keeps per parameter: a float32 scalar. */
    protected static NDArray stepCounter() {
        return NDArray.scalar(0, DType.F32);
    }

    /** Refuses a negative (or NaN) hyper-parameter with PyTorch's wording: "Invalid learning rate: -0.1". */
    protected final void checkNonNegative(String what, double value, String where) {
        check(value >= 0, "Invalid " + what + ": " + value, where);
    }

    /** Refuses a group unless {@code ok}, naming this optimiser, the problem and the group. */
    protected final void check(boolean ok, String message, String where) {
        if (!ok) {
            throw new IllegalArgumentException(name + ": " + message + where);
        }
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(name).append(" (");
        for (int i = 0; i < groups.size(); i++) {
            out.append("\n  group ").append(i).append(": ").append(groups.get(i));
        }
        return out.append("\n)").toString();
    }
}
