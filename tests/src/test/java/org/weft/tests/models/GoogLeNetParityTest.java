package org.weft.tests.models;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;
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
 * sides (in F64; the F32 forward pass too, see {@link ModelParity}).
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
        boolean training = mode.equals("train");
        Map<String, NDArray> recorded = Fixtures.load(FIXTURE, mode + (grads ? "" : "_f32") + ".safetensors");
        JsonNode meta = ModelParity.json(FIXTURE, "meta.json");
        GoogLeNet model = GoogLeNet.googlenet(meta.get("num_classes").asInt(), true,
                meta.get(mode + "_transform_input").asBoolean());
        model.setDropout(0, 0);
        model.loadStateDict(ModelParity.weights(FIXTURE), true);
        model.to(dtype);
        model.train(training);

        String what = "googlenet " + mode + " " + dtype;
        long start = System.nanoTime();
        Tensor x = Tensor.of(recorded.get("input")).requiresGrad_(grads);
        GoogLeNet.Outputs out = model.forwardWithAux(x);
        long forward = ModelParity.millisSince(start);
        if (grads) {
            out.logits().backward(Tensor.of(recorded.get("grad_logits")), training, false);
            if (training) {
                out.aux1().backward(Tensor.of(recorded.get("grad_aux1")), true, false);
                out.aux2().backward(Tensor.of(recorded.get("grad_aux2")));
            }
        }
        System.out.println(what + ": forward " + forward + " ms" + (grads ? ", forward+backward "
                + ModelParity.millisSince(start) + " ms" : "") + ", input " + x.shape());

        ModelParity.Report report = new ModelParity.Report(what);
        report.compare("logits", out.logits(), recorded.get("logits"), ModelParity.OUTPUT_TOL);
        if (training) {
            report.compare("aux1", out.aux1(), recorded.get("aux1"), ModelParity.OUTPUT_TOL);
            report.compare("aux2", out.aux2(), recorded.get("aux2"), ModelParity.OUTPUT_TOL);
        } else if (out.aux1() != null || out.aux2() != null) {
            report.problem("auxiliary outputs in evaluation mode, where torchvision gives none");
        }
        if (grads) {
            report.compare("input_grad", x.grad(), recorded.get("input_grad"), ModelParity.GRAD_TOL);
            report.compareParameterGrads(model, recorded);
        }
        report.compareBuffers(model, recorded);
        report.assertAgrees();
    }
}
