package org.weft.tests.conformance;

import static org.weft.tests.conformance.Op.one;

import org.weft.autograd.Functional;
import org.weft.autograd.Tensor;

/**
 * The norm ops as the golden cases call them. Optional inputs (running statistics, weight,
 * bias) are present when the case's boolean argument of that name says so, in the order
 * PyTorch takes them.
 */
final class NormOps {

    private NormOps() {
    }

    static void register(OpRegistry r) {
        r.add("softmax", (in, a) -> one(Functional.softmax(in[0], a.i("dim"))));
        r.add("log_softmax", (in, a) -> one(Functional.logSoftmax(in[0], a.i("dim"))));
        r.add("softmax_with_bias",
                (in, a) -> one(Functional.softmaxWithBias(in[0], in[1], in.length > 2 ? in[2] : null)));
        r.add("batch_norm", (in, a) -> one(batchNorm(in, a)));
        r.add("batch_norm_running_stats", (in, a) -> {
            // The inputs are the running statistics; the op updates them in place.
            Functional.batchNorm(in[0], in[1], in[2], null, null, a.b("training"), a.d("momentum"), 1e-5);
            return new Tensor[] {in[1], in[2]};
        });
        r.add("layer_norm", (in, a) -> {
            Optional o = new Optional(in, 1);
            Tensor weight = o.next(a.b("weight"));
            Tensor bias = o.next(a.b("bias"));
            return one(Functional.layerNorm(in[0], a.ints("normalized_shape"), weight, bias, a.d("eps")));
        });
        r.add("nll_loss", (in, a) -> one(Functional.nllLoss(in[0], in[1], new Optional(in, 2).next(a.b("weight")),
                a.i("ignore_index"), a.s("reduction"))));
        r.add("cross_entropy", (in, a) -> one(Functional.crossEntropy(in[0], in[1],
                new Optional(in, 2).next(a.b("weight")), a.i("ignore_index"), a.s("reduction"),
                a.d("label_smoothing"))));
    }

    private static Tensor batchNorm(Tensor[] in, Args a) {
        Optional o = new Optional(in, 1);
        boolean running = a.b("running");
        Tensor runningMean = o.next(running);
        Tensor runningVar = o.next(running);
        Tensor weight = o.next(a.b("weight"));
        Tensor bias = o.next(a.b("bias"));
        return Functional.batchNorm(in[0], runningMean, runningVar, weight, bias, a.b("training"), a.d("momentum"),
                a.d("eps"));
    }

    /** Walks the optional inputs that follow the required ones. */
    private static final class Optional {
        private final Tensor[] in;
        private int next;

        Optional(Tensor[] in, int first) {
            this.in = in;
            this.next = first;
        }

        /** The next input if {@code present}, else null. */
        Tensor next(boolean present) {
            return present ? in[next++] : null;
        }
    }
}
