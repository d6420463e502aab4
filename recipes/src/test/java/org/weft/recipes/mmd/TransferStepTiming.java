package org.weft.recipes.mmd;

import java.util.List;

import org.weft.nn.losses.Mmd;
import org.weft.nn.losses.WeightConstraint;
import org.weft.nn.models.ResNet;
import org.weft.nn.optim.SGD;
import org.weft.recipes.data.Batch;
import org.weft.tensor.NDArray;
import org.weft.tensor.random.Generator;

/**
 * Times paper 000's training steps on random 32×32 images, to choose the recipe's budgets:
 * {@code TransferStepTiming [backbone] [batch] [steps] [mode...]} with modes {@code single} (one branch, as
 * settings 1, 2 and the pretraining), {@code shared} (setting 3), {@code mmd} (4), {@code lw} (5), {@code both} (6).
 * Prints seconds per step and images per second per branch, after two warm-up steps.
 */
final class TransferStepTiming {

    private TransferStepTiming() {
    }

    public static void main(String[] args) {
        String backbone = args.length > 0 ? args[0] : "resnet50";
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        List<String> modes = args.length > 3 ? List.of(args).subList(3, args.length) : List.of("single", "both");
        Generator.global().manualSeed(0);
        NDArray images = NDArray.randn(batch, 3, 32, 32);
        long[] labels = new long[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = i % 10;
        }
        Batch b = new Batch(images, NDArray.of(labels, batch), new int[batch]);
        for (String mode : modes) {
            TransferModel model = switch (mode) {
                case "single" -> TransferModel.targetOnly(Backbones.create(backbone, 10));
                case "shared" -> TransferModel.shared(Backbones.create(backbone, 10), 10);
                case "mmd" -> TransferModel.twoBranch(Backbones.create(backbone, 10), Backbones.create(backbone, 10));
                default -> {
                    ResNet s = Backbones.create(backbone, 10);
                    yield TransferModel.constrained(s, Backbones.create(backbone, 10),
                            TransferModel.convolutions(s, List.of("layer3", "layer4")), WeightConstraint.Form.EXPONENTIAL);
                }
            };
            model.train();
            SGD sgd = new SGD(model.parameters(), SGD.options().lr(1e-3).momentum(0.9));
            TransferLoss loss = new TransferLoss(1e-4, 1, mode.equals("mmd") || mode.equals("both"),
                    mode.equals("lw") || mode.equals("both"), Mmd.Estimator.BIASED, Mmd.Kernels.paper());
            long start = 0;
            long inStep = 0;
            for (int i = 0; i < steps + 2; i++) {
                if (i == 2) {
                    start = System.nanoTime();
                    inStep = 0;
                }
                sgd.zeroGrad();
                if (mode.equals("single")) {
                    TransferLoss.classification(model.call(org.weft.autograd.Tensor.of(images)), b.labels()).backward();
                } else {
                    loss.compute(model, b, b).total().backward();
                }
                long t = System.nanoTime();
                sgd.step();
                inStep += System.nanoTime() - t;
            }
            double perStep = (System.nanoTime() - start) / 1e9 / steps;
            System.out.printf("%s %s batch %d: %.3f s/step (optimiser %.3f s), %.1f images/s per branch%n", backbone,
                    mode, batch, perStep, inStep / 1e9 / steps, batch / perStep);
        }
    }
}
