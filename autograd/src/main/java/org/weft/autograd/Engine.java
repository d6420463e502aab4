package org.weft.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;
import org.weft.tensor.Shape;

/**
 * Runs the backward graph once, in dependency order: a node runs when every node that feeds
 * it a gradient has run, so each node sees the sum of all gradients of its outputs.
 */
final class Engine {

    private Engine() {
    }

    /**
     * Propagates {@code rootGrads} from {@code roots}. With {@code inputs} null the leaves'
     * {@code grad} accumulate (backward); otherwise the gradients reaching {@code inputs} are
     * returned and no {@code grad} changes (Autograd.grad).
     */
    static Tensor[] run(Tensor[] roots, Tensor[] rootGrads, boolean retainGraph, boolean createGraph,
                        Tensor[] inputs, boolean allowUnused) {
        Map<Node, Tensor[]> buffers = new IdentityHashMap<>();
        List<Node> rootNodes = new ArrayList<>();
        for (int i = 0; i < roots.length; i++) {
            Edge e = roots[i].gradientEdge();
            if (e == null) {
                throw new IllegalArgumentException("element " + i
                        + " of tensors does not require grad and does not have a grad_fn");
            }
            checkGradient("backward", "gradient " + i, e.node().outputShape(e.inputNr()),
                    e.node().outputDtype(e.inputNr()), rootGrads[i]);
            addTo(buffers, e, rootGrads[i], createGraph);
            rootNodes.add(e.node());
        }
        Map<Node, Integer> dependencies = countDependencies(rootNodes);

        Map<Node, List<int[]>> captures = null;
        Map<Node, Boolean> needed = null;
        Tensor[] captured = null;
        if (inputs != null) {
            captures = new IdentityHashMap<>();
            captured = new Tensor[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                Edge e = inputs[i].gradientEdge();
                if (e == null) {
                    throw new IllegalArgumentException("One of the differentiated Tensors (input " + i
                            + ") does not require grad");
                }
                captures.computeIfAbsent(e.node(), k -> new ArrayList<>()).add(new int[] {e.inputNr(), i});
            }
            needed = markNeeded(rootNodes, dependencies, captures.keySet());
        }

        ArrayDeque<Node> ready = new ArrayDeque<>();
        for (Node n : rootNodes) {
            if (dependencies.getOrDefault(n, 0) == 0 && !ready.contains(n)) {
                ready.push(n);
            }
        }
        while (!ready.isEmpty()) {
            Node node = ready.pop();
            Tensor[] grads = buffers.remove(node);
            if (allNull(grads)) {
                // Every producer returned null: no gradient, as PyTorch's undefined one. The
                // node neither runs nor calls hooks, and leaves behind it keep a null grad.
                passNothingOn(node, buffers, dependencies, ready);
                if (!retainGraph) {
                    node.releaseSaved();
                }
                continue;
            }
            for (int i = 0; i < grads.length; i++) {
                grads[i] = node.preprocess(i, grads[i] == null ? node.zeroGradient(i) : grads[i]);
            }
            if (captures != null) {
                for (int[] c : captures.getOrDefault(node, List.of())) {
                    captured[c[1]] = grads[c[0]];
                }
                if (node instanceof AccumulateGrad || !needed.getOrDefault(node, false)) {
                    continue;
                }
            }
            Tensor[] inputGrads;
            try (var g = Grad.set(createGraph)) {
                inputGrads = node.applyBackward(grads);
            }
            if (Anomaly.isEnabled()) {
                checkFinite(node, inputGrads);
            }
            for (int j = 0; j < node.next.length; j++) {
                Edge e = node.next[j];
                if (e == null) {
                    continue;
                }
                if (inputGrads[j] != null) {
                    checkGradient(node.name(), "gradient at index " + j, e.node().outputShape(e.inputNr()),
                            e.node().outputDtype(e.inputNr()), inputGrads[j]);
                    addTo(buffers, e, inputGrads[j], createGraph);
                } else {
                    buffers.computeIfAbsent(e.node(), k -> new Tensor[k.outputCount()]);
                }
                int left = dependencies.merge(e.node(), -1, Integer::sum);
                if (left == 0) {
                    ready.push(e.node());
                }
            }
            if (!retainGraph) {
                node.releaseSaved();
            }
        }
        if (captured != null && !allowUnused) {
            for (int i = 0; i < captured.length; i++) {
                if (captured[i] == null) {
                    throw new IllegalArgumentException("One of the differentiated Tensors (input " + i
                            + ") appears to not have been used in the graph. Set allowUnused=true if this is"
                            + " the desired behavior.");
                }
            }
        }
        return captured;
    }

    private static boolean allNull(Tensor[] grads) {
        for (Tensor g : grads) {
            if (g != null) {
                return false;
            }
        }
        return true;
    }

    private static void passNothingOn(Node node, Map<Node, Tensor[]> buffers, Map<Node, Integer> dependencies,
                                      ArrayDeque<Node> ready) {
        for (Edge e : node.next) {
            if (e == null) {
                continue;
            }
            buffers.computeIfAbsent(e.node(), k -> new Tensor[k.outputCount()]);
            if (dependencies.merge(e.node(), -1, Integer::sum) == 0) {
                ready.push(e.node());
            }
        }
    }

    private static void addTo(Map<Node, Tensor[]> buffers, Edge e, Tensor grad, boolean createGraph) {
        Tensor[] slot = buffers.computeIfAbsent(e.node(), k -> new Tensor[k.outputCount()]);
        Tensor prev = slot[e.inputNr()];
        if (prev == null) {
            slot[e.inputNr()] = grad;
        } else if (createGraph) {
            slot[e.inputNr()] = prev.add(grad);
        } else {
            slot[e.inputNr()] = new Tensor(prev.data().add(grad.data()), false);
        }
    }

    /** For every node reachable from the roots, how many edges of reachable nodes point at it. */
    private static Map<Node, Integer> countDependencies(List<Node> roots) {
        Map<Node, Integer> deps = new IdentityHashMap<>();
        Map<Node, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Node> stack = new ArrayDeque<>();
        for (Node r : roots) {
            if (seen.put(r, true) == null) {
                stack.push(r);
            }
        }
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            for (Edge e : n.next) {
                if (e == null) {
                    continue;
                }
                deps.merge(e.node(), 1, Integer::sum);
                if (seen.put(e.node(), true) == null) {
                    stack.push(e.node());
                }
            }
        }
        return deps;
    }

    /**
     * The nodes from which some capture target can be reached: only they need to run. A node
     * is needed if it is a target or feeds a needed node, so a pass over the nodes in reverse
     * topological order (children first) decides each one.
     */
    private static Map<Node, Boolean> markNeeded(List<Node> roots, Map<Node, Integer> dependencies,
                                                 Set<Node> targets) {
        Map<Node, Integer> left = new IdentityHashMap<>(dependencies);
        List<Node> order = new ArrayList<>();
        ArrayDeque<Node> queue = new ArrayDeque<>();
        for (Node r : roots) {
            if (left.getOrDefault(r, 0) == 0 && !queue.contains(r)) {
                queue.push(r);
            }
        }
        while (!queue.isEmpty()) {
            Node n = queue.pop();
            order.add(n);
            for (Edge e : n.next) {
                if (e != null && left.merge(e.node(), -1, Integer::sum) == 0) {
                    queue.push(e.node());
                }
            }
        }
        Map<Node, Boolean> needed = new IdentityHashMap<>();
        for (int i = order.size() - 1; i >= 0; i--) {
            Node n = order.get(i);
            boolean need = targets.contains(n);
            for (Edge e : n.next) {
                need |= e != null && needed.getOrDefault(e.node(), false);
            }
            needed.put(n, need);
        }
        return needed;
    }

    static void checkGradient(String where, String what, Shape expectedShape,
                              DType expectedDtype, Tensor grad) {
        if (!grad.shape().equals(expectedShape)) {
            throw new IllegalStateException("Function " + where + " returned an invalid " + what + " - got "
                    + grad.shape() + " but expected shape compatible with " + expectedShape);
        }
        if (grad.dtype() != expectedDtype) {
            throw new IllegalStateException("Function " + where + " returned an invalid " + what + " - expected dtype "
                    + expectedDtype + " but got " + grad.dtype());
        }
    }

    private static void checkFinite(Node node, Tensor[] grads) {
        for (int j = 0; j < grads.length; j++) {
            if (grads[j] == null) {
                continue;
            }
            NDArray d = grads[j].data();
            for (double v : d.toDoubleArray()) {
                if (Double.isNaN(v) || Double.isInfinite(v)) {
                    throw new Anomaly.AnomalyException("Function '" + node.name() + "' returned "
                            + (Double.isNaN(v) ? "nan" : "inf") + " values in its " + j
                            + "th output; the forward call that created it is the cause below"
                            + (node.forwardSite == null ? " (not recorded: the op ran before anomaly mode was on)" : ""),
                            node.forwardSite);
                }
            }
        }
    }
}
