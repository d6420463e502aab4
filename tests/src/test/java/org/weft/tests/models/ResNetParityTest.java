package org.weft.tests.models;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.weft.autograd.Tensor;
import org.weft.nn.models.ResNet;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;
import org.weft.tests.Fixtures;

/**
 * ResNet against torchvision (fixture tests/goldens/fixtures/resnet.py): torchvision's
 * ResNet-50 state dict loads strictly, and in training and evaluation mode the logits, the
 * input gradient, every parameter gradient and the batch-norm buffers after the pass agree
 * with torch's (in F64; the F32 forward pass too, see {@link ModelParity}); every ResNet
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
    void trainingModeForwardInF32AgreesWithTorchvision() {
        check("train", DType.F32);
    }

    @Test
    void evaluationModeForwardInF32AgreesWithTorchvision() {
        check("eval", DType.F32);
    }

    /** One pass in {@code dtype}; gradients are checked in F64 only (see {@link ModelParity}). */
    private static void check(String mode, DType dtype) {
        boolean grads = dtype == DType.F64;
        Map<String, NDArray> recorded = Fixtures.load(FIXTURE, mode + (grads ? "" : "_f32") + ".safetensors");
        int numClasses = ModelParity.json(FIXTURE, "meta.json").get("num_classes").asInt();
        ResNet model = ResNet.resnet50(numClasses);
        model.loadStateDict(ModelParity.weights(FIXTURE), true);
        model.to(dtype);
        model.train(mode.equals("train"));

        String what = "resnet50 " + mode + " " + dtype;
        long start = System.nanoTime();
        Tensor x = Tensor.of(recorded.get("input")).requiresGrad_(grads);
        Tensor logits = model.call(x);
        long forward = ModelParity.millisSince(start);
        if (grads) {
            logits.backward(Tensor.of(recorded.get("grad_logits")));
        }
        System.out.println(what + ": forward " + forward + " ms" + (grads ? ", forward+backward "
                + ModelParity.millisSince(start) + " ms" : "") + ", input " + x.shape());

        ModelParity.Report report = new ModelParity.Report(what);
        report.compare("logits", logits, recorded.get("logits"), ModelParity.OUTPUT_TOL);
        if (grads) {
            report.compare("input_grad", x.grad(), recorded.get("input_grad"), ModelParity.GRAD_TOL);
            report.compareParameterGrads(model, recorded);
        }
        report.compareBuffers(model, recorded);
        report.assertAgrees();
    }
}
