package org.weft.tests.conformance;

import java.util.Map;
import java.util.TreeMap;

/** Every op the conformance suite knows, by the name the golden cases use. */
final class OpRegistry {

    private final Map<String, Op> ops = new TreeMap<>();

    static OpRegistry all() {
        OpRegistry r = new OpRegistry();
        ElementwiseOps.register(r);
        ReductionOps.register(r);
        ShapeOps.register(r);
        LinalgOps.register(r);
        ConvOps.register(r);
        NormOps.register(r);
        RandomOps.register(r);
        LossOps.register(r);
        return r;
    }

    void add(String name, Op op) {
        if (ops.put(name, op) != null) {
            throw new IllegalStateException("op '" + name + "' registered twice");
        }
    }

    Op get(String name) {
        Op op = ops.get(name);
        if (op == null) {
            throw new IllegalStateException("no Weft op is registered for golden op '" + name + "'");
        }
        return op;
    }

    java.util.Set<String> names() {
        return ops.keySet();
    }
}
