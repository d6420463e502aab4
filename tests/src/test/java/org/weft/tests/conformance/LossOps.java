package org.weft.tests.conformance;

import static org.weft.tests.conformance.Op.one;

import java.util.ArrayList;
import java.util.List;
import org.weft.autograd.Tensor;
import org.weft.nn.losses.Losses;
import org.weft.nn.losses.Mmd;
import org.weft.nn.losses.WeightConstraint;

/**
 * The losses of {@code org.weft.nn.losses} as the golden cases call them, through the
 * {@link Losses} facade. Optional inputs (weight, pos_weight, bias) are present when the case's
 * boolean argument of that name says so, in the order PyTorch takes them.
 */
final class LossOps {

    private LossOps() {
    }

    static void register(OpRegistry r) {
        r.add("binary_cross_entropy_with_logits", (in, a) -> {
            int next = 2;
            Tensor weight = a.b("weight") ? in[next++] : null;
            Tensor posWeight = a.b("pos_weight") ? in[next] : null;
            return one(Losses.binaryCrossEntropyWithLogits(in[0], in[1], weight, posWeight, a.s("reduction")));
        });
        r.add("mse_loss", (in, a) -> one(Losses.mseLoss(in[0], in[1], a.s("reduction"))));
        r.add("kl_div", (in, a) -> one(Losses.klDiv(in[0], in[1], a.s("reduction"), a.b("log_target"))));
        r.add("kl_distillation", (in, a) -> one(Losses.klDistillation(in[0], in[1], a.d("temperature"),
                a.s("reduction"))));
        r.add("mmd", (in, a) -> one(Losses.mmd(in[0], in[1], estimator(a.s("estimator")), kernels(a))));
        r.add("weight_constraint", (in, a) -> {
            List<Tensor> source = new ArrayList<>();
            List<Tensor> target = new ArrayList<>();
            for (int j = 0; j < a.i("layers"); j++) {
                source.add(in[2 + 2 * j]);
                target.add(in[3 + 2 * j]);
            }
            WeightConstraint.Form form = switch (a.s("form")) {
                case "exponential" -> WeightConstraint.Form.EXPONENTIAL;
                case "squared" -> WeightConstraint.Form.SQUARED;
                default -> throw new IllegalArgumentException("unknown weight-constraint form " + a.s("form"));
            };
            return one(Losses.weightConstraint(source, target, in[0], in[1], form));
        });
        r.add("verification_loss", (in, a) -> {
            boolean bias = a.b("bias");
            return one(Losses.verificationLoss(in[0], in[1], in[2], bias ? in[3] : null, in[bias ? 4 : 3],
                    a.s("reduction")));
        });
    }

    private static Mmd.Estimator estimator(String name) {
        return switch (name) {
            case "biased" -> Mmd.Estimator.BIASED;
            case "unbiased" -> Mmd.Estimator.UNBIASED;
            case "linear" -> Mmd.Estimator.LINEAR;
            default -> throw new IllegalArgumentException("unknown MMD estimator " + name);
        };
    }

    private static Mmd.Kernels kernels(Args a) {
        double[] multipliers = a.doubles("multipliers");
        return switch (a.s("bandwidth")) {
            case "fixed" -> Mmd.Kernels.fixed(a.d("beta"), multipliers);
            case "joint_mean_distance" -> Mmd.Kernels.jointMeanDistance(multipliers);
            default -> throw new IllegalArgumentException("unknown MMD bandwidth rule " + a.s("bandwidth"));
        };
    }
}
