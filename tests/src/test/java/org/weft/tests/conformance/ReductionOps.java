package org.weft.tests.conformance;

import static org.weft.tests.conformance.Op.one;

import org.weft.autograd.Tensor;
import org.weft.autograd.ValuesIndices;

/** The reduction ops, and the ops along one dimension, as the golden cases call them. */
final class ReductionOps {

    private ReductionOps() {
    }

    static void register(OpRegistry r) {
        r.add("sum", (in, a) -> one(in[0].sum(dims(a), keepdim(a))));
        r.add("mean", (in, a) -> one(in[0].mean(dims(a), keepdim(a))));
        r.add("var", (in, a) -> one(in[0].var(dims(a), a.d("correction", 1), keepdim(a))));
        r.add("std", (in, a) -> one(in[0].std(dims(a), a.d("correction", 1), keepdim(a))));
        r.add("amax", (in, a) -> one(in[0].amax(dims(a), keepdim(a))));
        r.add("amin", (in, a) -> one(in[0].amin(dims(a), keepdim(a))));
        r.add("max_all", (in, a) -> one(in[0].max()));
        r.add("min_all", (in, a) -> one(in[0].min()));
        r.add("max_dim", (in, a) -> pair(in[0].max(a.i("dim"), keepdim(a))));
        r.add("min_dim", (in, a) -> pair(in[0].min(a.i("dim"), keepdim(a))));
        r.add("argmax", (in, a) -> one(a.has("dim") ? in[0].argmax(a.i("dim"), keepdim(a)) : in[0].argmax()));
        r.add("argmin", (in, a) -> one(a.has("dim") ? in[0].argmin(a.i("dim"), keepdim(a)) : in[0].argmin()));
        r.add("logsumexp", (in, a) -> one(in[0].logsumexp(dims(a), keepdim(a))));
        r.add("norm", (in, a) -> one(norm(in[0], a.s("p", "2"), dims(a), keepdim(a))));
        r.add("cumsum", (in, a) -> one(in[0].cumsum(a.i("dim"))));
        r.add("sort", (in, a) -> pair(in[0].sort(a.i("dim"), a.b("descending"))));
        r.add("topk", (in, a) -> pair(in[0].topk(a.i("k"), a.i("dim"), a.b("largest"))));
    }

    /** The case's dims, or null (every dimension) when it names none. */
    private static int[] dims(Args a) {
        return a.has("dims") ? a.ints("dims") : null;
    }

    private static boolean keepdim(Args a) {
        return a.b("keepdim", false);
    }

    private static Tensor[] pair(ValuesIndices r) {
        return new Tensor[] {r.values(), r.indices()};
    }

    /** {@code p} as the cases write it: a number, "inf", "-inf" or "fro". */
    private static Tensor norm(Tensor x, String p, int[] dims, boolean keepdim) {
        return switch (p) {
            case "fro" -> x.norm("fro", dims, keepdim);
            case "inf" -> x.norm(Double.POSITIVE_INFINITY, dims, keepdim);
            case "-inf" -> x.norm(Double.NEGATIVE_INFINITY, dims, keepdim);
            default -> x.norm(Double.parseDouble(p), dims, keepdim);
        };
    }
}
