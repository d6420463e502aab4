package org.weft.nn;

import java.util.ArrayList;
import java.util.List;

import org.weft.autograd.Tensor;

/** Modules run one after another, named "0", "1", ... as PyTorch's {@code nn.Sequential}. */
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

    /** Appends {@code module} under the next index and returns this sequence. */
    public Sequential add(Module module) {
        layers.add(register(Integer.toString(layers.size()), module));
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
        layers.set(Integer.parseInt(name), module);
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
