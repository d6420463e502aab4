package org.weft.tests.conformance;

import static org.weft.tests.conformance.Op.one;

import org.weft.autograd.Functional;

/** The conv ops as the golden cases call them. */
final class ConvOps {

    private ConvOps() {
    }

    static void register(OpRegistry r) {
        r.add("conv2d", (in, a) -> one(Functional.conv2d(in[0], in[1], in.length > 2 ? in[2] : null,
                a.ints("stride"), a.ints("padding"), a.ints("dilation"), a.i("groups"))));
        r.add("max_pool2d", (in, a) -> one(Functional.maxPool2d(in[0], a.ints("kernel_size"), optional(a, "stride"),
                a.ints("padding"), a.ints("dilation"), a.b("ceil_mode"))));
        r.add("max_pool2d_with_indices", (in, a) -> Functional.maxPool2dWithIndices(in[0], a.ints("kernel_size"),
                optional(a, "stride"), a.ints("padding"), a.ints("dilation"), a.b("ceil_mode")));
        r.add("avg_pool2d", (in, a) -> one(Functional.avgPool2d(in[0], a.ints("kernel_size"), optional(a, "stride"),
                a.ints("padding"), a.b("ceil_mode"), a.b("count_include_pad"),
                a.has("divisor_override") ? Integer.valueOf(a.i("divisor_override")) : null)));
        r.add("adaptive_avg_pool2d", (in, a) -> one(Functional.adaptiveAvgPool2d(in[0], a.ints("output_size"))));
        r.add("interpolate_bilinear", (in, a) -> one(Functional.interpolate(in[0], optional(a, "size"),
                a.has("scale_factor") ? a.doubles("scale_factor") : null, "bilinear", a.b("align_corners"))));
    }

    /** An int-list argument that PyTorch was given as None: null here. */
    private static int[] optional(Args a, String key) {
        return a.has(key) ? a.ints(key) : null;
    }
}
