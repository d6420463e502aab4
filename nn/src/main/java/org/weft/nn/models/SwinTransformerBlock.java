package org.weft.nn.models;

import org.weft.autograd.Tensor;
import org.weft.nn.DropPath;
import org.weft.nn.Dropout;
import org.weft.nn.GELU;
import org.weft.nn.LayerNorm;
import org.weft.nn.Linear;
import org.weft.nn.Module;
import org.weft.nn.Sequential;

/**
 * One Swin v1 block on an NHWC map, as torchvision's {@code SwinTransformerBlock}: pre-norm
 * (shifted) window attention and a pre-norm GELU MLP, each a residual branch dropped whole
 * per sample with the block's stochastic depth probability while training.
 *
 * <p>Submodules keep torchvision's names: {@code norm1, attn, stochastic_depth, norm2,
 * mlp} with {@code mlp.0} and {@code mlp.3} the two linear layers (1 is GELU, 2 and 4 dropout).
 */
public class SwinTransformerBlock extends Module {

    private final LayerNorm norm1;
    private final ShiftedWindowAttention attn;
    private final DropPath stochasticDepth;
    private final LayerNorm norm2;
    private final Sequential mlp;

    public SwinTransformerBlock(int dim, int numHeads, int[] windowSize, int[] shiftSize, double mlpRatio,
                                double dropout, double attentionDropout, double stochasticDepthProb) {
        this.norm1 = register("norm1", new LayerNorm(new int[] {dim}, 1e-5, true));
        this.attn = register("attn",
                new ShiftedWindowAttention(dim, windowSize, shiftSize, numHeads, attentionDropout, dropout));
        this.stochasticDepth = register("stochastic_depth", new DropPath(stochasticDepthProb));
        this.norm2 = register("norm2", new LayerNorm(new int[] {dim}, 1e-5, true));
        int hidden = (int) (dim * mlpRatio);
        this.mlp = register("mlp", new Sequential(new Linear(dim, hidden), new GELU(), new Dropout(dropout),
                new Linear(hidden, dim), new Dropout(dropout)));
    }

    public ShiftedWindowAttention attn() {
        return attn;
    }

    @Override
    protected Tensor forward(Tensor x) {
        x = x.add(stochasticDepth.call(attn.call(norm1.call(x))));
        return x.add(stochasticDepth.call(mlp.call(norm2.call(x))));
    }
}
