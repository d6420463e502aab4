package org.weft.nn;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.weft.autograd.Tensor;

/** An indexed list of submodules named "0", "1", ...; the owner decides how to run them. */
public class ModuleList extends Module implements Iterable<Module> {

    private final List<Module> items = new ArrayList<>();

    public ModuleList(List<? extends Module> modules) {
        for (Module m : modules) {
            add(m);
        }
    }

    public ModuleList(Module... modules) {
        this(List.of(modules));
    }

    /** Appends {@code module} under the next index and returns this list. */
    public ModuleList add(Module module) {
        items.add(register(Integer.toString(items.size()), module));
        return this;
    }

    public Module get(int index) {
        return items.get(index);
    }

    public int size() {
        return items.size();
    }

    @Override
    public Iterator<Module> iterator() {
        return List.copyOf(items).iterator();
    }

    @Override
    public <M extends Module> M replace(String name, M module) {
        super.replace(name, module);
        items.set(Integer.parseInt(name), module);
        return module;
    }

    @Override
    protected Tensor forward(Tensor input) {
        throw new IllegalStateException("ModuleList has no forward: its owner runs the modules it holds");
    }
}
