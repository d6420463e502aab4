package org.weft.nn.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.weft.autograd.Tensor;
import org.weft.nn.AdaptiveAvgPool2d;
import org.weft.nn.Conv2d;
import org.weft.nn.Flatten;
import org.weft.nn.Init;
import org.weft.nn.LayerNorm;
import org.weft.nn.Linear;
import org.weft.nn.Module;
import org.weft.nn.Permute;
import org.weft.nn.Sequential;

/**
 * The Swin Transformer v1 image classifier, with torchvision's module paths so its state
 * dicts load unchanged ({@link SwinCheckpoints} renames timm and official Swin ones).
 *
 * <pre>
 * features.0     patch embedding: Conv2d(3, C, p, stride p), Permute to NHWC, LayerNorm
 * features.1,3,5,7  stages of {@link SwinTransformerBlock}s (even blocks plain windows, odd ones shifted)
 * features.2,4,6 {@link PatchMerging} (H/2, W/2, 2C)
 * norm, permute (to NCHW), avgpool, flatten, head
 * </pre>
 *
 * Any image size works: windows pad to whole windows and patch merging pads odd sizes, as in
 * torchvision. The 224-px checkpoints use window 7, the 384-px ones window 12. Stochastic
 * depth and dropout act only in training mode; {@code eval()} turns them off (inference and
 * parity), as does building from {@link Config#withoutRegularisation()}.
 */
public class SwinTransformer extends Module implements Backbone {

    /**
     * What a Swin is built from, torchvision's constructor arguments. The stochastic depth
     * probability is the last block's; block i of n gets {@code p i / (n - 1)}.
     */
    public record Config(int[] patchSize, int embedDim, int[] depths, int[] numHeads, int[] windowSize,
                         double mlpRatio, double dropout, double attentionDropout, double stochasticDepthProb,
                         int numClasses) {

        public Config {
            if (patchSize.length != 2 || windowSize.length != 2) {
                throw new IllegalArgumentException("SwinTransformer: patch_size and window_size need 2 values, got "
                        + Arrays.toString(patchSize) + " and " + Arrays.toString(windowSize));
            }
            if (depths.length == 0 || depths.length != numHeads.length) {
                throw new IllegalArgumentException("SwinTransformer: depths and num_heads need one value per stage, got "
                        + Arrays.toString(depths) + " and " + Arrays.toString(numHeads));
            }
            for (int i = 0; i < depths.length; i++) {
                int dim = embedDim << i;
                if (depths[i] <= 0 || numHeads[i] <= 0 || dim % numHeads[i] != 0) {
                    throw new IllegalArgumentException("SwinTransformer: stage " + (i + 1) + " has depth " + depths[i]
                            + ", dim " + dim + " and " + numHeads[i] + " heads; need depth > 0 and dim divisible by heads");
                }
            }
            for (double p : new double[] {dropout, attentionDropout, stochasticDepthProb}) {
                if (!(p >= 0 && p <= 1)) {
                    throw new IllegalArgumentException("SwinTransformer: probabilities must be in [0, 1], got " + p);
                }
            }
            patchSize = patchSize.clone();
            depths = depths.clone();
            numHeads = numHeads.clone();
            windowSize = windowSize.clone();
        }

        /** The same network with dropout, attention dropout and stochastic depth at 0. */
        public Config withoutRegularisation() {
            return new Config(patchSize, embedDim, depths, numHeads, windowSize, mlpRatio, 0, 0, 0, numClasses);
        }

        /** Channels of the last stage: embed_dim * 2^(stages-1). */
        public int numFeatures() {
            return embedDim << (depths.length - 1);
        }

        /** Swin-T: embed 96, depths 2,2,6,2, heads 3,6,12,24, stochastic depth 0.2 (torchvision's). */
        public static Config swinT(int numClasses, int windowSize) {
            return of(96, new int[] {2, 2, 6, 2}, new int[] {3, 6, 12, 24}, windowSize, 0.2, numClasses);
        }

        /** Swin-S: embed 96, depths 2,2,18,2, heads 3,6,12,24, stochastic depth 0.3 (torchvision's). */
        public static Config swinS(int numClasses, int windowSize) {
            return of(96, new int[] {2, 2, 18, 2}, new int[] {3, 6, 12, 24}, windowSize, 0.3, numClasses);
        }

        /** Swin-B: embed 128, depths 2,2,18,2, heads 4,8,16,32, stochastic depth 0.5 (torchvision's). */
        public static Config swinB(int numClasses, int windowSize) {
            return of(128, new int[] {2, 2, 18, 2}, new int[] {4, 8, 16, 32}, windowSize, 0.5, numClasses);
        }

        /**
         * Swin-L: embed 192, depths 2,2,18,2, heads 6,12,24,48, stochastic depth 0.2 as the
         * official Swin-L configs (torchvision has no Swin-L).
         */
        public static Config swinL(int numClasses, int windowSize) {
            return of(192, new int[] {2, 2, 18, 2}, new int[] {6, 12, 24, 48}, windowSize, 0.2, numClasses);
        }

        private static Config of(int embedDim, int[] depths, int[] numHeads, int window, double stochasticDepthProb,
                                 int numClasses) {
            return new Config(new int[] {4, 4}, embedDim, depths, numHeads, new int[] {window, window}, 4.0, 0, 0,
                    stochasticDepthProb, numClasses);
        }
    }

    private final Config config;
    private final Sequential features;
    private final LayerNorm norm;
    private final Permute permute;
    private final AdaptiveAvgPool2d avgpool;
    private final Flatten flatten;

    public SwinTransformer(Config config) {
        this.config = config;
        int[] p = config.patchSize();
        int embed = config.embedDim();
        List<Module> layers = new ArrayList<>();
        layers.add(new Sequential(new Conv2d(3, embed, p, p, new int[] {0, 0}, new int[] {1, 1}, 1, true),
                new Permute(0, 2, 3, 1), new LayerNorm(new int[] {embed}, 1e-5, true)));
        int[] depths = config.depths();
        int totalBlocks = Arrays.stream(depths).sum();
        int[] window = config.windowSize();
        int blockId = 0;
        for (int stage = 0; stage < depths.length; stage++) {
            int dim = embed << stage;
            List<Module> blocks = new ArrayList<>();
            for (int i = 0; i < depths[stage]; i++) {
                double sd = totalBlocks > 1 ? config.stochasticDepthProb() * blockId / (totalBlocks - 1) : 0;
                int[] shift = i % 2 == 0 ? new int[] {0, 0} : new int[] {window[0] / 2, window[1] / 2};
                blocks.add(new SwinTransformerBlock(dim, config.numHeads()[stage], window, shift, config.mlpRatio(),
                        config.dropout(), config.attentionDropout(), sd));
                blockId++;
            }
            layers.add(new Sequential(blocks));
            if (stage < depths.length - 1) {
                layers.add(new PatchMerging(dim));
            }
        }
        this.features = register("features", new Sequential(layers));
        int numFeatures = config.numFeatures();
        this.norm = register("norm", new LayerNorm(new int[] {numFeatures}, 1e-5, true));
        this.permute = register("permute", new Permute(0, 3, 1, 2));
        this.avgpool = register("avgpool", new AdaptiveAvgPool2d(1, 1));
        this.flatten = register("flatten", new Flatten(1, -1));
        register("head", new Linear(numFeatures, config.numClasses()));
        // torchvision's init: every Linear (the MLPs' xavier init included, which it
        // overwrites) truncated normal with std 0.02 and zero bias; convs keep their default.
        apply(m -> {
            if (m instanceof Linear linear) {
                Init.truncNormal_(linear.weight(), 0.02, null);
                if (linear.bias() != null) {
                    Init.zeros_(linear.bias());
                }
            }
        });
    }

    /** Swin-T (window 7), as torchvision's {@code swin_t(num_classes=...)}. */
    public static SwinTransformer swinT(int numClasses) {
        return swinT(numClasses, 7);
    }

    public static SwinTransformer swinT(int numClasses, int windowSize) {
        return new SwinTransformer(Config.swinT(numClasses, windowSize));
    }

    /** Swin-S (window 7), as torchvision's {@code swin_s}. */
    public static SwinTransformer swinS(int numClasses) {
        return swinS(numClasses, 7);
    }

    public static SwinTransformer swinS(int numClasses, int windowSize) {
        return new SwinTransformer(Config.swinS(numClasses, windowSize));
    }

    /** Swin-B (window 7; the 384-px checkpoints use 12), as torchvision's {@code swin_b}. */
    public static SwinTransformer swinB(int numClasses) {
        return swinB(numClasses, 7);
    }

    public static SwinTransformer swinB(int numClasses, int windowSize) {
        return new SwinTransformer(Config.swinB(numClasses, windowSize));
    }

    /** Swin-L (window 7; the 384-px checkpoints use 12), the official Swin-L. */
    public static SwinTransformer swinL(int numClasses) {
        return swinL(numClasses, 7);
    }

    public static SwinTransformer swinL(int numClasses, int windowSize) {
        return new SwinTransformer(Config.swinL(numClasses, windowSize));
    }

    public Config config() {
        return config;
    }

    /** Logits {@code [B, numClasses]} of images {@code [B, 3, H, W]}. */
    @Override
    protected Tensor forward(Tensor images) {
        return child("head").call(pool(features.call(checkImages(images))));
    }

    /**
     * What the recipes tap: each stage's output as an NCHW view of the NHWC activations
     * ("stage1".."stage4", before the final norm; not contiguous) and the pooled feature
     * {@code [B, numFeatures]} the head reads. The head is not run.
     */
    @Override
    public Features features(Tensor images) {
        Tensor x = checkImages(images);
        Map<String, Tensor> stages = new LinkedHashMap<>();
        for (int i = 0; i < features.size(); i++) {
            x = features.get(i).call(x);
            if (i % 2 == 1) {
                stages.put("stage" + (i + 1) / 2, x.permute(0, 3, 1, 2));
            }
        }
        return new Features(stages, pool(x));
    }

    @Override
    public Tensor classify(Tensor pooled) {
        return child("head").call(pooled);
    }

    @Override
    public String headName() {
        return "head";
    }

    @Override
    public int featureDim() {
        return config.numFeatures();
    }

    /** The last stage's NHWC output to the pooled {@code [B, C]} feature, through torchvision's modules. */
    private Tensor pool(Tensor x) {
        return flatten.call(avgpool.call(permute.call(norm.call(x))));
    }

    private static Tensor checkImages(Tensor images) {
        if (images.dim() != 4 || images.size(1) != 3) {
            throw new IllegalArgumentException("SwinTransformer: expected images [B, 3, H, W], got " + images.shape());
        }
        return images;
    }
}
