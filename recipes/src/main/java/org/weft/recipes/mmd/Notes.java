package org.weft.recipes.mmd;

import java.util.List;
import java.util.Locale;

import org.weft.recipes.train.RecipeConfig;

/** The prose of the run's {@code notes.md}: the protocol that ran and how it departs from the paper's. */
final class Notes {

    private Notes() {
    }

    static String protocol(RecipeConfig c, TransferData data, List<Setting> settings, List<String> targets) {
        StringBuilder s = new StringBuilder();
        s.append("mmd-transfer: paper 000 (Wang & Zhong 2021), transfer with MMD and a weight constraint.\n\n");
        if (c.string("protocol").equals("fashion-mnist-proxy")) {
            s.append("### Protocol: the Fashion-MNIST proxy\n\n")
             .append("The paper transfers from DeepFashion to ACWS, HipsterWars and IDesigner, none of which can be ")
             .append("downloaded here. This run uses the real Fashion-MNIST images instead, so **its numbers are proxy ")
             .append("numbers and are not comparable with the paper's** (ACWS 69.01 %, IDesigner 91.18 %).\n\n")
             .append(String.format(Locale.ROOT, "- **Source** (like DeepFashion categories): the 10 Fashion-MNIST "
                     + "categories on %d original training images; tested on %d test images.%n",
                     data.sourceTrain().size(), data.sourceTest().size()))
             .append(String.format(Locale.ROOT, "- **Target A** (like ACWS: the same kind of labels): 8 categories, six "
                     + "kept and the three shoe categories merged into \"Footwear\"; %d labelled images (%d per "
                     + "class).%n", data.train("A").size(), c.integer("target_per_class")))
             .append(String.format(Locale.ROOT, "- **Target B** (like HipsterWars: another label space): 5 \"styles\" "
                     + "that cut across the categories by the garment's tone (the mean of its pixels above 0.1, dark "
                     + "when at most the median of its category over the training split): dark top, light top "
                     + "(T-shirt, Pullover, Coat, Shirt), trousers & dresses, dark accessory, light accessory (Sandal, "
                     + "Sneaker, Bag, Ankle boot); %d labelled images (%d per class).%n", data.train("B").size(),
                     c.integer("target_per_class")))
             .append(String.format(Locale.ROOT, "- Target test sets: %d shifted test images each.%n",
                     data.test("A").size()))
             .append("- **Domain shift** of both targets, per image: y = clip(0.15 + 0.6·(1 − x) + 0.08·sin(2π(u·col + ")
             .append("v·row)/32 + φ) + 0.05·n, 0, 1): inverted polarity, contrast 0.6 on a grey ground, a striped ")
             .append("texture of the image's own frequency (u, v), orientation and phase, and Gaussian noise n, all ")
             .append("drawn from (seed, image index). The mean brightness goes from about 0.29 to about 0.58 and the ")
             .append("ground, black in every source image, becomes a texture.\n")
             .append("- No image is used twice: source training, target A and target B images are disjoint parts of ")
             .append("the training split, and the source and target test images disjoint parts of the test split, all ")
             .append("chosen in an order fixed by the seed.\n")
             .append("- Images are padded from 28×28 to 32×32, repeated into three channels and standardised with the ")
             .append("ImageNet mean and standard deviation.\n\n");
        } else {
            s.append("### Protocol: ").append(c.string("protocol")).append("\n\n").append(data.description())
             .append("\n");
        }
        s.append("### Method and choices\n\n")
         .append(String.format(Locale.ROOT, "- Backbone %s for each branch; L = Ls + Lt + λw·Lw + λr·LMMD with λw = %s,"
                 + " λr = %s.%n", c.string("backbone"), num(c.number("lambda_w")), num(c.number("lambda_r"))))
         .append(String.format(Locale.ROOT, "- LMMD: %s estimator, %s, between the pooled features of the source batch "
                 + "(source branch) and the target batch (target branch).%n", c.string("mmd_estimator"),
                 c.number("mmd_sigma") > 0 ? "one Gaussian kernel of σ = " + c.number("mmd_sigma")
                         : "five Gaussian kernels, β·{1/4, 1/2, 1, 2, 4}, β the joint batch's mean squared distance "
                         + "(no gradient through β)"))
         .append(String.format(Locale.ROOT, "- Lw: %s form over the convolutions under %s (learnable a_j, b_j from 1 "
                 + "and 0; the exponential is continued linearly above d = 40 so that it cannot overflow).%n",
                 c.string("constraint_form"), c.strings("constraint_layers")))
         .append(String.format(Locale.ROOT, "- SGD, lr %s (the paper's), momentum %s (the paper does not say; our "
                 + "choice), weight decay %s; batch %d, %d epoch(s) per setting; the alternating sampler ends an epoch when"
                 + " the smaller (target) set is exhausted.%n", num(c.number("lr")), num(c.number("momentum")),
                 num(c.number("weight_decay")), c.integer("batch_size"), c.integer("epochs")))
         .append(String.format(Locale.ROOT, "- Source initialisation (the paper's DeepFashion-pretrained weights): the "
                 + "training `pretrain-source`, %d epoch(s) of SGD (momentum as below) at a peak lr of %s, warmed up linearly over the first fifth of the steps and decayed by a cosine to 0, on the source images, starting from %s. Its "
                 + "weights start both branches of settings 2 to 6 (each head for its own label space; a target head "
                 + "starts fresh).%n", c.integer("pretrain_epochs"), num(c.number("pretrain_lr")),
                 c.string("imagenet_weights").isEmpty() ? "torchvision's random initialisation" : "the ImageNet weights"))
         .append(c.string("imagenet_weights").isEmpty()
                 ? "- **No ImageNet weights** (there is no internet here and `imagenet_weights` was empty): setting (1) "
                   + "starts from torchvision's default random initialisation, not from ImageNet.\n"
                 : "- Setting (1) starts from the ImageNet weights in " + c.string("imagenet_weights") + ".\n")
         .append("- Settings run: ");
        for (Setting setting : settings) {
            s.append("(").append(setting.number).append(") ").append(setting.label).append("; ");
        }
        s.append("targets: ").append(String.join(", ", targets)).append(".\n");
        return s.toString();
    }

    /** 0.0001 rather than 1.0E-4. */
    private static String num(double value) {
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
