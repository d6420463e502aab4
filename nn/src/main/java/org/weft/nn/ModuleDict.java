package org.weft.nn;

import java.util.LinkedHashMap;
import java.util.Map;

import org.weft.autograd.Tensor;

/** Submodules by name, in insertion order; the owner decides how to run them. */
public class ModuleDict extends Module {

    private final Map<String, Module> items = new LinkedHashMap<>();

    public ModuleDict(Map<String, ? extends Module> modules) {
        modules.forEach(this::put);
    }

    public ModuleDict() {
    }

    /** Adds {@code module} under {@code name}, replacing (in place) one already there, and returns this dict. */
    public ModuleDict put(String name, Module module) {
        if (items.containsKey(name)) {
            replace(name, module);
        } else {
            items.put(name, register(name, module));
        }
        return this;
    }

    /** The module named {@code name}. */
    public Module get(String name) {
        Module m = items.get(name);
        if (m == null) {
            throw new IllegalArgumentException("ModuleDict has no key '" + name + "'; it has " + items.keySet());
        }
        return m;
    }

    public Map<String, Module> asMap() {
        return java.util.Collections.unmodifiableMap(items);
    }

    @Override
    public <M extends Module> M replace(String name, M module) {
        super.replace(name, module);
        items.put(name, module);
        return module;
    }

    @Override
    protected Tensor forward(Tensor input) {
        throw new IllegalStateException("ModuleDict has no forward: its owner runs the modules it holds");
    }
}
