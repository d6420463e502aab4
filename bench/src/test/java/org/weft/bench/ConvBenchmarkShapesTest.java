package org.weft.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;
import org.weft.autograd.Grad;
import org.weft.autograd.Tensor;
import org.weft.nn.Conv2d;
import org.weft.nn.Module;
import org.weft.nn.models.ResNet;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;
import org.weft.tensor.random.Generator;

/** ConvBenchmark's shapes are exactly the distinct convolutions ResNet50 runs on a 224-px image. */
class ConvBenchmarkShapesTest {

    @Test
    void shapesAreResNet50sDistinctConvolutionsInOrder() throws NoSuchFieldException {
        ResNet model = ResNet.resnet50(1000);
        model.eval();
        Set<String> seen = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        for (Module m : model.namedModules().values()) {
            if (m instanceof Conv2d conv) {
                conv.registerForwardPreHook((module, input) -> {
                    // The benchmark's shape string can only say square, dense, bias-free convolutions with padding k/2.
                    if (conv.kernelSize[0] != conv.kernelSize[1] || conv.stride[0] != conv.stride[1]
                            || conv.padding[0] != conv.kernelSize[0] / 2 || conv.padding[1] != conv.padding[0]
                            || conv.dilation[0] != 1 || conv.dilation[1] != 1 || conv.groups != 1
                            || conv.bias() != null || input.size(2) != input.size(3)) {
                        problems.add(conv.toString() + " on " + input.shape());
                    }
                    seen.add(new ConvBenchmark.ConvShape(conv.inChannels, conv.outChannels, conv.kernelSize[0],
                            conv.stride[0], input.size(2)).toString());
                    return null;
                });
            }
        }
        try (Grad.Scope off = Grad.disabled()) {
            model.call(Tensor.of(NDArray.randn(DType.F32, new Generator(0), 1, 3, 224, 224)));
        }

        assertEquals(List.of(), problems, "convolutions the benchmark's shape strings cannot describe");
        String[] benchmarked = ConvBenchmark.class.getField("shape").getAnnotation(Param.class).value();
        assertArrayEquals(seen.toArray(new String[0]), benchmarked);
    }

    @Test
    void shapeStringsRoundTrip() {
        ConvBenchmark.ConvShape stem = ConvBenchmark.ConvShape.parse("3-64-k7-s2-224");
        assertEquals(new ConvBenchmark.ConvShape(3, 64, 7, 2, 224), stem);
        assertEquals("3-64-k7-s2-224", stem.toString());
        assertEquals(112, stem.outSize());
        // 2 x 8 x 64 x 112 x 112 x 3 x 49 multiply-adds counted as two operations each.
        assertEquals(2.0 * 8 * 64 * 112 * 112 * 3 * 49, stem.flops(8));
    }
}
