package org.weft.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.weft.autograd.Tensor;

/**
 * Modules run one after another, as PyTorch's {@code nn.Sequential}: named "0", "1", ... or,
 * built from a map (PyTorch's {@code OrderedDict} form), by the map's keys.
 */
public class Sequential extends Module {

    private final List<Module> layers = new ArrayList<>();

    public Sequential(Module... modules) {
        for (Module m : modules) {
            add(m);
        }
    }

    public Sequential(List<? extends Module> modules) {
        for (Module m : modules) {
            add(m);
        }
    }

    /** The modules of {@code named}, in its iteration order, under its keys ("conv0", "norm0", ...). */
    public Sequential(Map<String, ? extends Module> named) {
        named.forEach(this::add);
    }

    /** Appends {@code module} under the next index and returns this sequence. */
    public Sequential add(Module module) {
        return add(Integer.toString(layers.size()), module);
    }

    /** Appends {@code module} under {@code name} and returns this sequence. */
    public Sequential add(String name, Module module) {
        layers.add(register(name, module));
        return this;
    }

    /** The module at {@code index}. */
    public Module get(int index) {
        return layers.get(index);
    }

    public int size() {
        return layers.size();
    }

    @Override
    public <M extends Module> M replace(String name, M module) {
        super.replace(name, module);
        layers.set(new ArrayList<>(namedChildren().keySet()).indexOf(name), module);
        return module;
    }

    @Override
    protected Tensor forward(Tensor x) {
        for (Module m : layers) {
            x = m.call(x);
        }
        return x;
    }
}
