package org.weft.tests.conformance;

import static org.weft.tests.conformance.Op.one;

import org.weft.autograd.Tensor;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;

/**
 * The shape ops as the golden cases call them: views, joining and splitting, reordering,
 * indexing, creation (cases without tensor inputs) and dtype conversion.
 */
final class ShapeOps {

    private ShapeOps() {
    }

    static void register(OpRegistry r) {
        views(r);
        joining(r);
        indexing(r);
        creation(r);
    }

    private static void views(OpRegistry r) {
        r.add("view", (in, a) -> one(in[0].view(a.ints("shape"))));
        r.add("reshape", (in, a) -> one(in[0].reshape(a.ints("shape"))));
        r.add("transpose", (in, a) -> one(in[0].transpose(a.i("dim0"), a.i("dim1"))));
        r.add("t", (in, a) -> one(in[0].t()));
        r.add("permute", (in, a) -> one(in[0].permute(a.ints("dims"))));
        r.add("narrow", (in, a) -> one(in[0].narrow(a.i("dim"), a.i("start"), a.i("length"))));
        r.add("slice", (in, a) -> one(in[0].slice(a.i("dim"), a.i("start"), a.i("end"), a.i("step"))));
        r.add("select", (in, a) -> one(in[0].select(a.i("dim"), a.i("index"))));
        r.add("expand", (in, a) -> one(in[0].expand(a.ints("sizes"))));
        r.add("squeeze", (in, a) -> one(a.has("dim") ? in[0].squeeze(a.i("dim")) : in[0].squeeze()));
        r.add("unsqueeze", (in, a) -> one(in[0].unsqueeze(a.i("dim"))));
        r.add("flatten", (in, a) -> one(in[0].flatten(a.i("start"), a.i("end"))));
        r.add("contiguous", (in, a) -> one(in[0].contiguous()));
    }

    private static void joining(OpRegistry r) {
        r.add("cat", (in, a) -> one(Tensor.cat(in, a.i("dim"))));
        r.add("stack", (in, a) -> one(Tensor.stack(in, a.i("dim"))));
        r.add("split", (in, a) -> {
            Tensor[] pieces = a.has("sizes") ? in[0].split(a.ints("sizes"), a.i("dim"))
                    : in[0].split(a.i("size"), a.i("dim"));
            return a.has("take") ? one(pieces[a.i("take")]) : pieces;
        });
        r.add("chunk", (in, a) -> in[0].chunk(a.i("chunks"), a.i("dim")));
        r.add("pad", (in, a) -> one(in[0].pad(a.ints("pad"), a.d("value", 0))));
        r.add("roll", (in, a) -> one(in[0].roll(a.ints("shifts"), a.ints("dims"))));
        r.add("flip", (in, a) -> one(in[0].flip(a.ints("dims"))));
        r.add("repeat", (in, a) -> one(in[0].repeat(a.ints("repeats"))));
    }

    private static void indexing(OpRegistry r) {
        r.add("gather", (in, a) -> one(in[0].gather(a.i("dim"), in[1])));
        r.add("scatter_add", (in, a) -> one(in[0].scatterAdd(a.i("dim"), in[1], in[2])));
        r.add("index_select", (in, a) -> one(in[0].indexSelect(a.i("dim"), in[1])));
        r.add("index_add", (in, a) -> one(in[0].indexAdd(a.i("dim"), in[1], in[2])));
        r.add("masked_fill", (in, a) -> one(in[0].maskedFill(in[1], value(a))));
        r.add("one_hot", (in, a) -> one(in[0].oneHot(a.i("num_classes"))));
    }

    /** A fill value; infinities come as the strings "inf" and "-inf", which JSON cannot hold as numbers. */
    private static double value(Args a) {
        String s = a.s("value");
        return switch (s) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> a.d("value");
        };
    }

    private static void creation(OpRegistry r) {
        r.add("arange", (in, a) -> one(Tensor.of(NDArray.arange(a.d("start"), a.d("end"), a.d("step"), dtype(a)))));
        r.add("linspace", (in, a) -> one(Tensor.of(NDArray.linspace(a.d("start"), a.d("end"), a.i("steps"),
                dtype(a)))));
        r.add("eye", (in, a) -> one(Tensor.of(NDArray.eye(a.i("n"), a.i("m"), dtype(a)))));
        r.add("full", (in, a) -> one(Tensor.of(NDArray.full(a.d("value"), dtype(a), a.ints("shape")))));
        r.add("zeros", (in, a) -> one(Tensor.of(NDArray.zeros(dtype(a), a.ints("shape")))));
        r.add("ones", (in, a) -> one(Tensor.of(NDArray.ones(dtype(a), a.ints("shape")))));
        r.add("to", (in, a) -> one(in[0].to(dtype(a))));
    }

    private static DType dtype(Args a) {
        return DType.valueOf(a.s("dtype"));
    }
}
