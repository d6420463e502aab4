package org.weft.tests.conformance;

import static org.weft.tests.conformance.Op.one;

import java.util.function.UnaryOperator;
import org.weft.autograd.Tensor;

/** The elementwise ops as the golden cases call them. */
final class ElementwiseOps {

    private ElementwiseOps() {
    }

    static void register(OpRegistry r) {
        r.add("add", (in, a) -> one(in[0].add(in[1])));
        r.add("sub", (in, a) -> one(in[0].sub(in[1])));
        r.add("mul", (in, a) -> one(in[0].mul(in[1])));
        r.add("div", (in, a) -> one(in[0].div(in[1])));
        r.add("neg", (in, a) -> one(in[0].neg()));

        unary(r, "exp", Tensor::exp);
        unary(r, "expm1", Tensor::expm1);
        unary(r, "log", Tensor::log);
        unary(r, "log1p", Tensor::log1p);
        unary(r, "sqrt", Tensor::sqrt);
        unary(r, "rsqrt", Tensor::rsqrt);
        unary(r, "reciprocal", Tensor::reciprocal);
        unary(r, "sin", Tensor::sin);
        unary(r, "cos", Tensor::cos);
        unary(r, "tanh", Tensor::tanh);
        unary(r, "sigmoid", Tensor::sigmoid);
        unary(r, "erf", Tensor::erf);
        unary(r, "relu", Tensor::relu);
        unary(r, "abs", Tensor::abs);
        unary(r, "sign", Tensor::sign);
        unary(r, "floor", Tensor::floor);
        unary(r, "ceil", Tensor::ceil);
        unary(r, "round", Tensor::round);
        r.add("gelu", (in, a) -> one(a.has("approximate") ? in[0].gelu(a.s("approximate")) : in[0].gelu()));

        r.add("pow", (in, a) -> one(in[0].pow(in[1])));
        r.add("pow_scalar", (in, a) -> one(in[0].pow(a.d("exponent"))));
        r.add("rpow", (in, a) -> one(in[0].rpow(a.d("base"))));

        r.add("maximum", (in, a) -> one(in[0].maximum(in[1])));
        r.add("minimum", (in, a) -> one(in[0].minimum(in[1])));
        r.add("clamp", (in, a) -> one(in[0].clamp(a.d("min"), a.d("max"))));
        r.add("clamp_min", (in, a) -> one(in[0].clampMin(a.d("min"))));
        r.add("clamp_max", (in, a) -> one(in[0].clampMax(a.d("max"))));
        r.add("where", (in, a) -> one(Tensor.where(in[0], in[1], in[2])));

        r.add("eq", (in, a) -> one(in[0].eq(in[1])));
        r.add("ne", (in, a) -> one(in[0].ne(in[1])));
        r.add("lt", (in, a) -> one(in[0].lt(in[1])));
        r.add("le", (in, a) -> one(in[0].le(in[1])));
        r.add("gt", (in, a) -> one(in[0].gt(in[1])));
        r.add("ge", (in, a) -> one(in[0].ge(in[1])));
        r.add("eq_scalar", (in, a) -> one(in[0].eq(a.d("other"))));
        r.add("ne_scalar", (in, a) -> one(in[0].ne(a.d("other"))));
        r.add("lt_scalar", (in, a) -> one(in[0].lt(a.d("other"))));
        r.add("le_scalar", (in, a) -> one(in[0].le(a.d("other"))));
        r.add("gt_scalar", (in, a) -> one(in[0].gt(a.d("other"))));
        r.add("ge_scalar", (in, a) -> one(in[0].ge(a.d("other"))));

        // A Python float is a Java double; a Python int a Java long.
        r.add("add_scalar", (in, a) -> one(in[0].add(a.d("scalar"))));
        r.add("sub_scalar", (in, a) -> one(in[0].sub(a.d("scalar"))));
        r.add("mul_scalar", (in, a) -> one(in[0].mul(a.d("scalar"))));
        r.add("div_scalar", (in, a) -> one(in[0].div(a.d("scalar"))));
        r.add("rsub_scalar", (in, a) -> one(in[0].rsub(a.d("scalar"))));
        r.add("rdiv_scalar", (in, a) -> one(in[0].rdiv(a.d("scalar"))));
        r.add("add_int", (in, a) -> one(in[0].add((long) a.i("scalar"))));
        r.add("sub_int", (in, a) -> one(in[0].sub((long) a.i("scalar"))));
        r.add("mul_int", (in, a) -> one(in[0].mul((long) a.i("scalar"))));
    }

    private static void unary(OpRegistry r, String name, UnaryOperator<Tensor> op) {
        r.add(name, (in, a) -> one(op.apply(in[0])));
    }
}
