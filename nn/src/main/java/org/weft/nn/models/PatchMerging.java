package org.weft.nn.models;

import org.weft.autograd.Tensor;
import org.weft.nn.LayerNorm;
import org.weft.nn.Linear;
import org.weft.nn.Module;

/**
 * Halves an NHWC map's height and width and doubles its channels, as torchvision's Swin v1
 * {@code PatchMerging}: each 2x2 patch's four tokens are concatenated (4C), normalised, and
 * projected to 2C without bias. An odd height or width is first padded with a zero row or
 * column at the bottom or right.
 *
 * <p>The concatenation order is torchvision's (and the official Swin's and timm's):
 * {@code x[0::2, 0::2], x[1::2, 0::2], x[0::2, 1::2], x[1::2, 1::2]}, i.e. the row offset
 * varies fastest. It is built as one reshape-permute copy instead of four strided slices and
 * a concatenation: viewing the map as {@code [B, H/2, 2(dh), W/2, 2(dw), C]} and ordering it
 * {@code [B, H/2, W/2, dw, dh, C]} puts channel block {@code 2 dw + dh} where the cat puts it.
 */
public class PatchMerging extends Module {

    public final int dim;
    private final Linear reduction;
    private final LayerNorm norm;

    public PatchMerging(int dim) {
        this.dim = dim;
        this.reduction = register("reduction", new Linear(4 * dim, 2 * dim, false));
        this.norm = register("norm", new LayerNorm(new int[] {4 * dim}, 1e-5, true));
    }

    /** {@code x [B, H, W, C]} to {@code [B, ceil(H/2), ceil(W/2), 2C]}. */
    @Override
    protected Tensor forward(Tensor x) {
        if (x.dim() != 4 || x.size(3) != dim) {
            throw new IllegalArgumentException("PatchMerging(dim=" + dim + "): expected input [B, H, W, " + dim
                    + "], got " + x.shape());
        }
        int b = x.size(0);
        int h = x.size(1);
        int w = x.size(2);
        if (h % 2 + w % 2 > 0) {
            x = x.pad(0, 0, 0, w % 2, 0, h % 2);
            h += h % 2;
            w += w % 2;
        }
        x = x.reshape(b, h / 2, 2, w / 2, 2, dim).permute(0, 1, 3, 4, 2, 5).reshape(b, h / 2, w / 2, 4 * dim);
        return reduction.call(norm.call(x));
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
