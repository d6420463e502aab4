package org.weft.nn.io;

import java.util.List;

/**
 * An object in a checkpoint whose Python class Weft does not know (an {@code argparse.Namespace}
 * of training arguments, a whole pickled {@code nn.Module}), kept by class name with the
 * arguments and state the pickle gave it, so the rest of the checkpoint still reads. Nothing
 * is ever imported or run.
 */
public final class PythonObject {

    private final String className;
    private final List<Object> args;
    private Object state;

    PythonObject(String className, List<Object> args) {
        this.className = className;
        this.args = args;
    }

    /** The dotted class or function name, as {@code argparse.Namespace}. */
    public String className() {
        return className;
    }

    /** The constructor or function arguments the pickle recorded. */
    public List<Object> args() {
        return args;
    }

    /** The state the pickle set on the object (usually its {@code __dict__}), or null. */
    public Object state() {
        return state;
    }

    void setState(Object state) {
        this.state = state;
    }

    @Override
    public String toString() {
        return "<" + className + ">";
    }
}
