package org.weft.tests.models;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.weft.autograd.Grad;
import org.weft.autograd.Tensor;
import org.weft.nn.models.GoogLeNet;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;
import org.weft.tests.Fixtures;

/**
 * GoogLeNet against torchvision (fixture tests/goldens/fixtures/googlenet.py): torchvision's
 * state dict (auxiliary heads included) loads strictly; in training mode with both auxiliary
 * heads and transform_input, and in evaluation mode, the outputs, the input gradient, every
 * parameter gradient and the batch-norm buffers agree with torch's, dropout set to 0 on both
 * sides (in F64, and in F32 within rounding's reach, see {@link ModelParity}).
 */
class GoogLeNetParityTest {

    private static final String FIXTURE = "googlenet";

    @Test
    void hasTorchvisionsStateDictKeysAndShapes() {
        JsonNode keys = ModelParity.json(FIXTURE, "keys.json");
        ModelParity.assertSameKeys("googlenet", GoogLeNet.googlenet(1000, true, false), keys.get("googlenet"));
        ModelParity.assertSameKeys("googlenet without aux heads", GoogLeNet.googlenet(1000, false, false),
                keys.get("googlenet_noaux"));
    }

    @Test
    void trainingModeWithAuxiliaryHeadsAgreesWithTorchvision() {
        check("train", DType.F64);
    }

    @Test
    void evaluationModeAgreesWithTorchvision() {
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
        boolean training = mode.equals("train");
        Map<String, NDArray> exact = Fixtures.load(FIXTURE, mode + ".safetensors");
        Map<String, NDArray> forward = dtype == DType.F64 ? exact : Fixtures.load(FIXTURE, mode + "_f32.safetensors");
        JsonNode meta = ModelParity.json(FIXTURE, "meta.json");
        GoogLeNet model = GoogLeNet.googlenet(meta.get("num_classes").asInt(), true,
                meta.get(mode + "_transform_input").asBoolean());
        model.setDropout(0, 0);
        model.loadStateDict(ModelParity.weights(FIXTURE), true);
        model.to(dtype);
        model.train(training);

        String what = "googlenet " + mode + " " + dtype;
        long start = System.nanoTime();
        Tensor x = Tensor.of(forward.get("input")).requiresGrad_(true);
        GoogLeNet.Outputs out = model.forwardWithAux(x);
        long forwardMillis = ModelParity.millisSince(start);
        ModelParity.Report report = new ModelParity.Report(what, dtype, meta.get("torch_f32_grad_error").get(mode));
        out.logits().backward(Tensor.of(exact.get("grad_logits")).to(dtype), training, false);
        if (training) {
            out.aux1().backward(Tensor.of(exact.get("grad_aux1")).to(dtype), true, false);
            out.aux2().backward(Tensor.of(exact.get("grad_aux2")).to(dtype));
        }
        System.out.println(what + ": forward " + forwardMillis + " ms, forward+backward "
                + ModelParity.millisSince(start) + " ms, input " + x.shape());

        report.compareOutput("logits", out.logits(), forward.get("logits"));
        if (training) {
            report.compareOutput("aux1", out.aux1(), forward.get("aux1"));
            report.compareOutput("aux2", out.aux2(), forward.get("aux2"));
        } else if (out.aux1() != null || out.aux2() != null) {
            report.problem("auxiliary outputs in evaluation mode, where torchvision gives none");
        } else {
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
