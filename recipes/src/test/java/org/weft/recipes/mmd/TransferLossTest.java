package org.weft.recipes.mmd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.weft.autograd.Grad;
import org.weft.autograd.Tensor;
import org.weft.nn.Conv2d;
import org.weft.nn.losses.Losses;
import org.weft.nn.losses.Mmd;
import org.weft.nn.losses.WeightConstraint;
import org.weft.nn.models.ResNet;
import org.weft.recipes.data.Batch;
import org.weft.tensor.NDArray;
import org.weft.tensor.random.Generator;

/** Paper 000's loss on two small ResNets: its parts add up, and its gradients reach what they must. */
class TransferLossTest {

    static final double LAMBDA_W = 1e-4;
    static final double LAMBDA_R = 1.0;

    private static Batch batch(int n, int classes, long seed) {
        NDArray images = NDArray.randn(org.weft.tensor.DType.F32, new Generator(seed), n, 3, 32, 32);
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (i * 7 + seed) % classes;
        }
        return new Batch(images, NDArray.of(labels, n), new int[n]);
    }

    /** Two resnet18 branches from one initialisation, tied on layer4.1's convolutions, then pulled apart a little. */
    private static TransferModel constrained() {
        Generator.global().manualSeed(11);
        ResNet source = ResNet.resnet18(10);
        ResNet target = ResNet.resnet18(5);
        Trainings.loadWithoutHead(target, source.stateDict());
        TransferModel model = TransferModel.constrained(source, target,
                TransferModel.convolutions(source, List.of("layer4.1")), WeightConstraint.Form.EXPONENTIAL);
        try (var noGrad = Grad.disabled()) {
            for (String name : model.constrainedLayers()) {
                Tensor w = ((Conv2d) target.module(name)).weight();
                w.data().add_(NDArray.randn(w.shape().dims()).mul(1e-3));
            }
            model.constraint().a().data().fill_(1.01);
            model.constraint().b().data().fill_(1e-4);
        }
        model.train();
        return model;
    }

    @Test
    void theLayersAreTheConvolutionsUnderThePrefixes() {
        ResNet net = ResNet.resnet18(10);
        assertEquals(List.of("layer4.1.conv1", "layer4.1.conv2"), TransferModel.convolutions(net, List.of("layer4.1")));
        // layer4: two blocks of two convolutions plus the shortcut's projection.
        assertEquals(5, TransferModel.convolutions(net, List.of("layer4")).size());
        assertEquals(20, TransferModel.convolutions(net, List.of("all")).size());
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TransferModel.convolutions(net, List.of("layer"))).getMessage().contains("name no convolution"));
    }

    @Test
    void theTotalIsTheSumOfItsPartsComputedSeparately() {
        TransferModel model = constrained();
        Batch s = batch(4, 10, 1);
        Batch t = batch(4, 5, 2);
        TransferLoss loss = new TransferLoss(LAMBDA_W, LAMBDA_R, true, true, Mmd.Estimator.BIASED, Mmd.Kernels.paper());
        TransferLoss.Parts parts = loss.compute(model, s, t);

        // Each part again, through the branches' own forward and the losses' own functions.
        double ls = Losses.crossEntropy(model.sourceBranch().call(Tensor.of(s.images())), Tensor.of(s.labels())).item();
        double lt = Losses.crossEntropy(model.targetBranch().call(Tensor.of(t.images())), Tensor.of(t.labels())).item();
        double mmd = Losses.mmd(model.sourceBranch().features(Tensor.of(s.images())).pooled(),
                model.targetBranch().features(Tensor.of(t.images())).pooled()).item();
        double lw = 0;
        double a = 1.01;
        double b = 1e-4;
        for (String name : model.constrainedLayers()) {
            float[] ws = ((Conv2d) model.sourceBranch().module(name)).weight().data().toFloatArray();
            float[] wt = ((Conv2d) model.targetBranch().module(name)).weight().data().toFloatArray();
            double d = 0;
            for (int i = 0; i < ws.length; i++) {
                double r = a * ws[i] + b - wt[i];
                d += r * r;
            }
            lw += Math.expm1(d);
        }
        assertTrue(lw > 1e-3 && mmd > 0, "the test needs non-zero terms, got Lw " + lw + ", MMD " + mmd);
        assertEquals(ls, parts.source().item(), 1e-5 * Math.abs(ls));
        assertEquals(lt, parts.target().item(), 1e-5 * Math.abs(lt));
        assertEquals(mmd, parts.mmd().item(), 1e-5 * Math.abs(mmd) + 1e-7);
        assertEquals(lw, parts.constraint().item(), 1e-4 * lw);
        double total = ls + lt + LAMBDA_W * lw + LAMBDA_R * mmd;
        assertEquals(total, parts.total().item(), 1e-5 * total);
    }

    @Test
    void gradientsReachBothBranchesAndTheConstraintScalars() {
        TransferModel model = constrained();
        TransferLoss loss = new TransferLoss(LAMBDA_W, LAMBDA_R, true, true, Mmd.Estimator.BIASED, Mmd.Kernels.paper());
        loss.compute(model, batch(4, 10, 1), batch(4, 5, 2)).total().backward();
        for (String branch : List.of("source", "target")) {
            for (String p : List.of(".conv1.weight", ".layer1.0.conv1.weight", ".layer4.1.conv2.weight", ".fc.weight")) {
                Tensor grad = model.namedParameters().get(branch + p).grad();
                assertTrue(grad != null && norm(grad) > 0, branch + p + " has no gradient");
            }
        }
        assertTrue(norm(model.constraint().a().grad()) > 0);
        assertTrue(norm(model.constraint().b().grad()) > 0);
    }

    @Test
    void theConstraintsGradientOnItsScaleIsTheClosedForm() {
        // dLw/da_j = exp(d_j) · Σ 2 (a θS + b − θT) θS for the exponential form.
        TransferModel model = constrained();
        model.constraint().compute().backward();
        float[] grad = model.constraint().a().grad().data().toFloatArray();
        List<String> layers = model.constrainedLayers();
        for (int j = 0; j < layers.size(); j++) {
            float[] ws = ((Conv2d) model.sourceBranch().module(layers.get(j))).weight().data().toFloatArray();
            float[] wt = ((Conv2d) model.targetBranch().module(layers.get(j))).weight().data().toFloatArray();
            double d = 0;
            double dot = 0;
            for (int i = 0; i < ws.length; i++) {
                double r = 1.01 * ws[i] + 1e-4 - wt[i];
                d += r * r;
                dot += 2 * r * ws[i];
            }
            double expected = Math.exp(d) * dot;
            assertEquals(expected, grad[j], 1e-3 * Math.abs(expected), layers.get(j));
        }
    }

    @Test
    void theMmdAloneReachesBothBranches() {
        TransferModel model = constrained();
        TransferLoss loss = new TransferLoss(LAMBDA_W, LAMBDA_R, true, false, Mmd.Estimator.BIASED, Mmd.Kernels.paper());
        loss.compute(model, batch(4, 10, 1), batch(4, 5, 2)).mmd().backward();
        assertTrue(norm(model.namedParameters().get("source.layer2.0.conv1.weight").grad()) > 0);
        assertTrue(norm(model.namedParameters().get("target.layer2.0.conv1.weight").grad()) > 0);
        // Heads do not enter the pooled features.
        Tensor fc = model.namedParameters().get("source.fc.weight").grad();
        assertTrue(fc == null || norm(fc) == 0);
    }

    @Test
    void theWeightSharedNetworkHasOneBackboneAndTwoHeads() {
        Generator.global().manualSeed(3);
        ResNet backbone = ResNet.resnet18(10);
        int backboneParams = backbone.parameters().size();
        TransferModel model = TransferModel.shared(backbone, 5);
        assertEquals(List.of("source", "target_head"), new ArrayList<>(model.namedChildren().keySet()));
        assertEquals(backboneParams + 2, model.parameters().size());
        assertNull(model.targetBranch());
        // Target images go through the same backbone: its first convolution gets Lt's gradient.
        TransferLoss loss = new TransferLoss(LAMBDA_W, LAMBDA_R, false, false, Mmd.Estimator.BIASED, Mmd.Kernels.paper());
        model.train();
        TransferLoss.Parts parts = loss.compute(model, batch(4, 10, 1), batch(4, 5, 2));
        assertNull(parts.mmd());
        assertNull(parts.constraint());
        parts.target().backward();
        assertTrue(norm(model.namedParameters().get("source.conv1.weight").grad()) > 0);
        assertTrue(norm(model.namedParameters().get("target_head.weight").grad()) > 0);
        Tensor sourceHead = model.namedParameters().get("source.fc.weight").grad();
        assertTrue(sourceHead == null || norm(sourceHead) == 0, "Lt must not reach the source head");
    }

    @Test
    void multiLabelTargetsUseTheSumOfPerLabelBinaryCrossEntropies() {
        Tensor logits = Tensor.of(new float[] {0.5f, -1f, 2f, 0f, 1f, -0.5f}, 2, 3);
        NDArray labels = NDArray.of(new float[] {1, 0, 1, 0, 0, 1}, 2, 3);
        double expected = 0;
        float[] x = {0.5f, -1f, 2f, 0f, 1f, -0.5f};
        float[] y = {1, 0, 1, 0, 0, 1};
        for (int i = 0; i < 6; i++) {
            double p = 1 / (1 + Math.exp(-x[i]));
            expected -= y[i] * Math.log(p) + (1 - y[i]) * Math.log(1 - p);
        }
        assertEquals(expected / 2, TransferLoss.classification(logits, labels).item(), 1e-6);
    }

    private static double norm(Tensor t) {
        double s = 0;
        for (float v : t.data().toFloatArray()) {
            s += v * v;
        }
        return Math.sqrt(s);
    }
}
