package org.weft.tests.models;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.weft.autograd.Grad;
import org.weft.autograd.Tensor;
import org.weft.nn.models.ResNet;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;
import org.weft.tests.Fixtures;

/**
 * ResNet against torchvision (fixture tests/goldens/fixtures/resnet.py): torchvision's
 * ResNet-50 state dict loads strictly, and in training and evaluation mode the logits, the
 * input gradient, every parameter gradient and the batch-norm buffers after the pass agree
 * with torch's (in F64, and in F32 within rounding's reach, see {@link ModelParity}); every ResNet
 * depth has torchvision's state-dict keys and shapes.
 */
class ResNetParityTest {

    private static final String FIXTURE = "resnet";

    @Test
    void everyDepthHasTorchvisionsStateDictKeysAndShapes() {
        JsonNode keys = ModelParity.json(FIXTURE, "keys.json");
        ModelParity.assertSameKeys("resnet18", ResNet.resnet18(1000), keys.get("resnet18"));
        ModelParity.assertSameKeys("resnet34", ResNet.resnet34(1000), keys.get("resnet34"));
        ModelParity.assertSameKeys("resnet50", ResNet.resnet50(1000), keys.get("resnet50"));
        ModelParity.assertSameKeys("resnet101", ResNet.resnet101(1000), keys.get("resnet101"));
        ModelParity.assertSameKeys("resnet152", ResNet.resnet152(1000), keys.get("resnet152"));
    }

    @Test
    void trainingModeOutputsGradientsAndStatisticsAgreeWithTorchvision() {
        check("train", DType.F64);
    }

    @Test
    void evaluationModeOutputsGradientsAndStatisticsAgreeWithTorchvision() {
        check("eval", DType.F64);
    }

    @Test
    void trainingModeInF32AgreesWithTorchvisionWithinRounding() {
        check("train", DType.F32);
    }

    @Test
    void evaluationModeInF32AgreesWithTorchvisionWithinRounding() {
        check("eval", DType.F32);
    }

    /** One forward and backward pass in {@code dtype}, gradients against torch's F64 ones (see {@link ModelParity}). */
    private static void check(String mode, DType dtype) {
        Map<String, NDArray> exact = Fixtures.load(FIXTURE, mode + ".safetensors");
        Map<String, NDArray> forward = dtype == DType.F64 ? exact : Fixtures.load(FIXTURE, mode + "_f32.safetensors");
        JsonNode meta = ModelParity.json(FIXTURE, "meta.json");
        ResNet model = ResNet.resnet50(meta.get("num_classes").asInt());
        model.loadStateDict(ModelParity.weights(FIXTURE), true);
        model.to(dtype);
        model.train(mode.equals("train"));

        String what = "resnet50 " + mode + " " + dtype;
        long start = System.nanoTime();
        Tensor x = Tensor.of(forward.get("input")).requiresGrad_(true);
        Tensor logits = model.call(x);
        long forwardMillis = ModelParity.millisSince(start);
        logits.backward(Tensor.of(exact.get("grad_logits")).to(dtype));
        System.out.println(what + ": forward " + forwardMillis + " ms, forward+backward "
                + ModelParity.millisSince(start) + " ms, input " + x.shape());

        ModelParity.Report report = new ModelParity.Report(what, dtype, meta.get("torch_f32_grad_error").get(mode));
        report.compareOutput("logits", logits, forward.get("logits"));
        if (mode.equals("eval")) {
            // Without gradients each convolution, batch norm and ReLU run as one fused kernel.
            try (var g = Grad.disabled()) {
                report.compareOutput("logits (inference, fused)", model.call(Tensor.of(forward.get("input"))),
                        forward.get("logits"));
            }
        }
        report.compareBuffers(model, forward);
        report.compareGrad("input_grad", x.grad(), exact.get("input_grad"));
        report.compareParameterGrads(model, exact);
        report.assertAgrees();
    }
}
