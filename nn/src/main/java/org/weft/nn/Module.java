package org.weft.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import org.weft.autograd.Grad;
import org.weft.autograd.RemovableHandle;
import org.weft.autograd.Tensor;
import org.weft.tensor.DType;
import org.weft.tensor.Device;
import org.weft.tensor.NDArray;

/**
 * A layer or a network: named parameters, buffers and submodules, and a forward computation.
 *
 * <p>Names follow PyTorch's attribute paths ({@code layer1.0.conv1.weight}) so that a
 * torchvision state dict loads unchanged. A subclass registers what it owns in its
 * constructor, in the order PyTorch's class assigns its attributes, because that order is
 * the order of {@link #stateDict()}:
 *
 * <pre>{@code
 * final class TwoLayer extends Module {
 *     private final Linear fc1 = register("fc1", new Linear(784, 100));
 *     private final Linear fc2 = register("fc2", new Linear(100, 10));
 *     protected Tensor forward(Tensor x) { return fc2.call(fc1.call(x).relu()); }
 * }
 * }</pre>
 *
 * Callers run a module with {@link #call}, which runs the forward pre-hooks, {@link #forward}
 * and the forward hooks; calling {@code forward} directly skips the hooks, as in PyTorch.
 */
public abstract class Module {

    /** Runs before forward; returns a replacement input, or null to keep it. */
    @FunctionalInterface
    public interface ForwardPreHook {
        Tensor apply(Module module, Tensor input);
    }

    /** Runs after forward; returns a replacement output, or null to keep it. */
    @FunctionalInterface
    public interface ForwardHook {
        Tensor apply(Module module, Tensor input, Tensor output);
    }

    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final List<String> nonPersistentBuffers = new ArrayList<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    // Keyed by a token per registration, so a handle removes its own registration even when
    // the same hook object was registered twice (PyTorch's handles hold an id the same way).
    private final Map<Object, ForwardPreHook> preHooks = new LinkedHashMap<>();
    private final Map<Object, ForwardHook> hooks = new LinkedHashMap<>();
    private boolean training = true;

    /** The computation of this module alone; run it through {@link #call} so hooks fire. */
    protected abstract Tensor forward(Tensor input);

    /** Runs forward pre-hooks, {@link #forward} and forward hooks, as PyTorch's {@code module(x)}. */
    public final Tensor call(Tensor input) {
        // Copies, so a hook may remove itself; skipped when empty, as almost always.
        for (ForwardPreHook hook : preHooks.isEmpty() ? List.<ForwardPreHook>of() : List.copyOf(preHooks.values())) {
            Tensor replaced = hook.apply(this, input);
            if (replaced != null) {
                input = replaced;
            }
        }
        Tensor output = forward(input);
        for (ForwardHook hook : hooks.isEmpty() ? List.<ForwardHook>of() : List.copyOf(hooks.values())) {
            Tensor replaced = hook.apply(this, input, output);
            if (replaced != null) {
                output = replaced;
            }
        }
        return output;
    }

    // ---------------------------------------------------------------- registration

    /** Registers {@code tensor} as the parameter {@code name}, makes it require grad, and returns it. */
    protected final Tensor registerParameter(String name, Tensor tensor) {
        checkFreeName(name);
        Objects.requireNonNull(tensor, "registerParameter: tensor");
        if (!tensor.isLeaf()) {
            throw new IllegalArgumentException("registerParameter: '" + name
                    + "' must be a leaf tensor (made by an op, it would not be trained)");
        }
        tensor.requiresGrad_(true);
        parameters.put(name, tensor);
        return tensor;
    }

    /** Registers {@code tensor} as a buffer saved in the state dict (running statistics). */
    protected final Tensor registerBuffer(String name, Tensor tensor) {
        return registerBuffer(name, tensor, true);
    }

    /** Registers a buffer; a non-persistent one (a cached index table) stays out of the state dict. */
    protected final Tensor registerBuffer(String name, Tensor tensor, boolean persistent) {
        checkFreeName(name);
        Objects.requireNonNull(tensor, "registerBuffer: tensor");
        buffers.put(name, tensor);
        if (!persistent) {
            nonPersistentBuffers.add(name);
        }
        return tensor;
    }

    /** Registers {@code module} as the submodule {@code name} and returns it. */
    protected final <M extends Module> M register(String name, M module) {
        checkFreeName(name);
        Objects.requireNonNull(module, "register: module");
        children.put(name, module);
        return module;
    }

    /**
     * Puts {@code module} in place of the submodule {@code name}, as assigning
     * {@code model.fc = nn.Linear(...)} in PyTorch; this is how a new classifier head replaces
     * a pretrained one. Returns the new module.
     */
    public <M extends Module> M replace(String name, M module) {
        if (!children.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no submodule '" + name
                    + "'; it has " + children.keySet());
        }
        children.put(name, Objects.requireNonNull(module, "replace: module"));
        return module;
    }

    private void checkFreeName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("a module attribute name must be non-empty and contain no '.', got '"
                    + name + "'");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " already has an attribute '" + name + "'");
        }
    }

    // ---------------------------------------------------------------- traversal

    /**
     * The direct submodule {@code name}. A module whose child can be {@link #replace}d (a
     * classifier head) reads it through here rather than through a field, so the
     * replacement is what runs.
     */
    protected final Module child(String name) {
        Module m = children.get(name);
        if (m == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no submodule '" + name + "'");
        }
        return m;
    }

    /** The direct submodules by name, in registration order. */
    public Map<String, Module> namedChildren() {
        return Collections.unmodifiableMap(children);
    }

    /**
     * This module ("") and every descendant by dotted path, parents before children; a module
     * reachable by two paths (shared) appears once, under the first, as in PyTorch.
     */
    public Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        collectModules("", out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    private void collectModules(String prefix, Map<String, Module> out, Set<Module> seen) {
        if (!seen.add(this)) {
            return;
        }
        out.put(prefix, this);
        for (Map.Entry<String, Module> child : children.entrySet()) {
            child.getValue().collectModules(join(prefix, child.getKey()), out, seen);
        }
    }

    /** The submodule at a dotted path ("layer1.0.conv1"); "" is this module. */
    public Module module(String path) {
        Module m = this;
        if (!path.isEmpty()) {
            for (String name : path.split("\\.", -1)) {
                m = m.children.get(name);
                if (m == null) {
                    throw new IllegalArgumentException(getClass().getSimpleName() + " has no submodule '" + path + "'");
                }
            }
        }
        return m;
    }

    /** Every parameter by dotted path, in PyTorch's order; a tensor shared by two modules appears once. */
    public Map<String, Tensor> namedParameters() {
        return collectTensors(true);
    }

    /** Every parameter, in {@link #namedParameters()} order. */
    public List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Every buffer by dotted path, persistent or not; a shared one appears once. */
    public Map<String, Tensor> namedBuffers() {
        return collectTensors(false);
    }

    private Map<String, Tensor> collectTensors(boolean wantParameters) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Map.Entry<String, Module> m : namedModules().entrySet()) {
            Module module = m.getValue();
            for (Map.Entry<String, Tensor> t : (wantParameters ? module.parameters : module.buffers).entrySet()) {
                if (seen.add(t.getValue())) {
                    out.put(join(m.getKey(), t.getKey()), t.getValue());
                }
            }
        }
        return out;
    }

    private static String join(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    // ---------------------------------------------------------------- state dict

    /**
     * Parameters and persistent buffers by dotted path, in the order PyTorch's
     * {@code state_dict()} gives (each module's parameters, then its buffers, then its
     * children). The tensors are this module's own, detached: writing into them writes the model.
     */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectState("", out);
        return out;
    }

    private void collectState(String prefix, Map<String, Tensor> out) {
        parameters.forEach((name, p) -> out.put(join(prefix, name), p.detach()));
        buffers.forEach((name, b) -> {
            if (!nonPersistentBuffers.contains(name)) {
                out.put(join(prefix, name), b.detach());
            }
        });
        children.forEach((name, child) -> child.collectState(join(prefix, name), out));
    }

    /**
     * Copies {@code state} into this module's parameters and buffers (converting dtype as
     * {@code copy_} does). With {@code strict}, any missing, unexpected or mis-shaped key is
     * an error listing all of them and nothing is copied; without it, matching keys are
     * copied, mis-shaped ones are still an error, and the others are reported in the result.
     */
    public LoadResult loadStateDict(Map<String, Tensor> checkpoint, boolean strict) {
        Map<String, Tensor> state = new LinkedHashMap<>(checkpoint);
        upgradeTree("", state);
        Map<String, Tensor> own = stateDict();
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> misShaped = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor given = state.get(e.getKey());
            if (given == null) {
                missing.add(e.getKey());
            } else if (!given.shape().equals(e.getValue().shape())) {
                misShaped.add(e.getKey() + ": checkpoint has " + given.shape() + ", model has " + e.getValue().shape());
            }
        }
        for (String key : state.keySet()) {
            if (!own.containsKey(key)) {
                unexpected.add(key);
            }
        }
        if (!misShaped.isEmpty() || (strict && (!missing.isEmpty() || !unexpected.isEmpty()))) {
            StringBuilder msg = new StringBuilder("Error(s) in loading state dict for " + getClass().getSimpleName() + ":");
            if (!missing.isEmpty()) {
                msg.append("\n  Missing keys (").append(missing.size()).append("): ").append(missing);
            }
            if (!unexpected.isEmpty()) {
                msg.append("\n  Unexpected keys (").append(unexpected.size()).append("): ").append(unexpected);
            }
            for (String s : misShaped) {
                msg.append("\n  Size mismatch for ").append(s);
            }
            throw new IllegalArgumentException(msg.toString());
        }
        try (var noGrad = Grad.disabled()) {
            for (Map.Entry<String, Tensor> e : own.entrySet()) {
                Tensor given = state.get(e.getKey());
                if (given != null) {
                    e.getValue().data().copy_(given.data());
                }
            }
        }
        return new LoadResult(List.copyOf(missing), List.copyOf(unexpected));
    }

    private void upgradeTree(String prefix, Map<String, Tensor> state) {
        upgradeState(prefix.isEmpty() ? "" : prefix + ".", state);
        children.forEach((name, child) -> child.upgradeTree(join(prefix, name), state));
    }

    /**
     * Lets a module accept an older checkpoint layout before {@link #loadStateDict} compares
     * keys, as PyTorch's versioned {@code _load_from_state_dict}: {@code state} is a mutable
     * copy of the checkpoint and {@code prefix} this module's path with its trailing dot.
     */
    protected void upgradeState(String prefix, Map<String, Tensor> state) {
    }

    /** The keys a non-strict {@link #loadStateDict} left alone. */
    public record LoadResult(List<String> missingKeys, List<String> unexpectedKeys) {
    }

    // ---------------------------------------------------------------- modes and conversion

    /** Training mode for this module and its descendants (dropout active, batch statistics). */
    public Module train() {
        return train(true);
    }

    /** Sets training mode on this module and its descendants. */
    public Module train(boolean mode) {
        for (Module m : namedModules().values()) {
            m.training = mode;
        }
        return this;
    }

    /** Evaluation mode: dropout off, running statistics used. */
    public Module eval() {
        return train(false);
    }

    /** Whether this module is in training mode. */
    public boolean isTraining() {
        return training;
    }

    /**
     * Freezes or unfreezes every parameter of this subtree (requires_grad off or on), as
     * fine-tuning only the head needs. Frozen BN layers still update running statistics in
     * training mode, as in PyTorch; call {@code eval()} on them to stop that.
     */
    public Module requiresGrad_(boolean requires) {
        for (Tensor p : parameters()) {
            p.requiresGrad_(requires);
        }
        return this;
    }

    /**
     * Converts floating-point parameters and buffers to {@code dtype}, in place, keeping their
     * identity (an optimiser built before still holds them); their gradients are dropped.
     */
    public Module to(DType dtype) {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("Module.to: only floating point dtypes are allowed, got " + dtype);
        }
        return convert(a -> a.dtype().isFloatingPoint() ? a.to(dtype) : a);
    }

    /** Moves parameters and buffers to {@code device}, in place, keeping their identity. */
    public Module to(Device device) {
        return convert(a -> a.toDevice(device));
    }

    private Module convert(UnaryOperator<NDArray> conversion) {
        for (Module m : namedModules().values()) {
            for (Tensor t : m.parameters.values()) {
                t.setData(conversion.apply(t.data()));
            }
            for (Tensor t : m.buffers.values()) {
                t.setData(conversion.apply(t.data()));
            }
        }
        return this;
    }

    /** Calls {@code fn} on every module of the subtree, children first, as PyTorch's {@code apply(init)}. */
    public Module apply(Consumer<Module> fn) {
        for (Module child : children.values()) {
            child.apply(fn);
        }
        fn.accept(this);
        return this;
    }

    /** Clears the gradient of every parameter, as {@code zero_grad(set_to_none=True)}. */
    public void zeroGrad() {
        for (Tensor p : parameters()) {
            p.setGrad(null);
        }
    }

    // ---------------------------------------------------------------- hooks

    /** Adds a hook that sees (and may replace) the input before forward. */
    public RemovableHandle registerForwardPreHook(ForwardPreHook hook) {
        Object token = new Object();
        preHooks.put(token, Objects.requireNonNull(hook));
        return () -> preHooks.remove(token);
    }

    /** Adds a hook that sees (and may replace) the output after forward: feature taps, Grad-CAM. */
    public RemovableHandle registerForwardHook(ForwardHook hook) {
        Object token = new Object();
        hooks.put(token, Objects.requireNonNull(hook));
        return () -> hooks.remove(token);
    }

    /** Whether forward hooks or pre-hooks are registered: a fused path that skips {@link #call} must not run then. */
    public boolean hasHooks() {
        return !preHooks.isEmpty() || !hooks.isEmpty();
    }

    /** A short description, as PyTorch's {@code extra_repr}; layers override it. */
    protected String extraRepr() {
        return "";
    }

    /** The module tree, one module per line, as PyTorch prints it. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(getClass().getSimpleName()).append('(').append(extraRepr());
        if (!children.isEmpty()) {
            out.append('\n');
            children.forEach((name, child) -> {
                String body = child.toString().replace("\n", "\n  ");
                out.append("  (").append(name).append("): ").append(body).append('\n');
            });
        }
        return out.append(')').toString();
    }
}
