package org.weft.nn.models;

import org.weft.autograd.Functional;
import org.weft.autograd.Tensor;
import org.weft.nn.Init;
import org.weft.nn.Linear;
import org.weft.nn.Module;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;

/**
 * Multi-head self-attention inside non-overlapping windows of an NHWC feature map, the
 * windows optionally shifted by half a window, with a learned bias per relative position:
 * torchvision's {@code ShiftedWindowAttention} (Swin v1).
 *
 * <p>The map is padded at the bottom and right to whole windows, rolled up and left by the
 * shift, cut into windows of {@code wh x ww} tokens, attended window by window, and put back.
 * Rolling makes some windows hold tokens from opposite edges of the map; the attention mask
 * (-100 between tokens from different regions, as Swin's) keeps those apart. When a window
 * covers the whole padded map there is nothing to shift, and the shift is skipped.
 *
 * <p>Built from differentiable tensor ops only (pad, roll, reshape/permute, linear, matmul,
 * index_select, and softmax fused with the bias and mask: {@link Functional#softmaxWithBias}),
 * so its gradients, and second derivatives, come from theirs.
 */
public class ShiftedWindowAttention extends Module {

    /** The value Swin adds to the attention logit of a token pair from different regions. */
    static final double MASKED = -100.0;

    final int dim;
    final int windowH;
    final int windowW;
    final int shiftH;
    final int shiftW;
    final int numHeads;
    final double attentionDropout;
    final double dropout;
    private final Linear qkv;
    private final Linear proj;
    private final Tensor relativePositionBiasTable;
    private final Tensor relativePositionIndex;

    /** The last shift mask built, reused while the padded map size and dtype stay the same. */
    private Tensor cachedMask;
    private int cachedMaskH = -1;
    private int cachedMaskW = -1;

    public ShiftedWindowAttention(int dim, int[] windowSize, int[] shiftSize, int numHeads, double attentionDropout,
                                  double dropout) {
        if (windowSize.length != 2 || shiftSize.length != 2) {
            throw new IllegalArgumentException("window_size and shift_size must be of length 2, got "
                    + java.util.Arrays.toString(windowSize) + " and " + java.util.Arrays.toString(shiftSize));
        }
        if (numHeads <= 0 || dim % numHeads != 0) {
            throw new IllegalArgumentException("ShiftedWindowAttention: dim " + dim
                    + " must be divisible by num_heads " + numHeads);
        }
        if (windowSize[0] <= 0 || windowSize[1] <= 0 || shiftSize[0] < 0 || shiftSize[1] < 0
                || shiftSize[0] >= windowSize[0] || shiftSize[1] >= windowSize[1]) {
            throw new IllegalArgumentException("ShiftedWindowAttention: need window sizes > 0 and 0 <= shift < window,"
                    + " got window " + java.util.Arrays.toString(windowSize) + ", shift "
                    + java.util.Arrays.toString(shiftSize));
        }
        this.dim = dim;
        this.windowH = windowSize[0];
        this.windowW = windowSize[1];
        this.shiftH = shiftSize[0];
        this.shiftW = shiftSize[1];
        this.numHeads = numHeads;
        this.attentionDropout = attentionDropout;
        this.dropout = dropout;
        this.qkv = register("qkv", new Linear(dim, dim * 3));
        this.proj = register("proj", new Linear(dim, dim));
        this.relativePositionBiasTable = registerParameter("relative_position_bias_table",
                Tensor.zeros((2 * windowH - 1) * (2 * windowW - 1), numHeads));
        Init.truncNormal_(relativePositionBiasTable, 0.02, null);
        // Persistent, as torchvision registers it, so torchvision state dicts load strictly.
        this.relativePositionIndex = registerBuffer("relative_position_index", relativePositionIndex(windowH, windowW));
    }

    /**
     * Row of the bias table for every (query, key) token pair of a window, flattened
     * query-major: the pair's offset (dh, dw), each shifted to start at 0, numbered
     * row-major over the (2wh-1) x (2ww-1) possible offsets.
     */
    static Tensor relativePositionIndex(int wh, int ww) {
        int n = wh * ww;
        long[] index = new long[n * n];
        for (int p = 0; p < n; p++) {
            for (int q = 0; q < n; q++) {
                int dh = p / ww - q / ww + wh - 1;
                int dw = p % ww - q % ww + ww - 1;
                index[p * n + q] = (long) dh * (2 * ww - 1) + dw;
            }
        }
        return Tensor.of(index, n * n);
    }

    public Tensor relativePositionBiasTable() {
        return relativePositionBiasTable;
    }

    /** The bias added to every window's attention logits: {@code [1, heads, N, N]} for N tokens a window. */
    Tensor relativePositionBias() {
        int n = windowH * windowW;
        return relativePositionBiasTable.indexSelect(0, relativePositionIndex)
                .view(n, n, numHeads).permute(2, 0, 1).unsqueeze(0);
    }

    /** {@code x [B, H, W, C]} to the same shape. */
    @Override
    protected Tensor forward(Tensor input) {
        if (input.dim() != 4 || input.size(3) != dim) {
            throw new IllegalArgumentException("ShiftedWindowAttention(dim=" + dim + "): expected input [B, H, W, "
                    + dim + "], got " + input.shape());
        }
        int b = input.size(0);
        int h = input.size(1);
        int w = input.size(2);
        int padB = (windowH - h % windowH) % windowH;
        int padR = (windowW - w % windowW) % windowW;
        Tensor x = padB + padR > 0 ? input.pad(0, 0, 0, padR, 0, padB) : input;
        int padH = h + padB;
        int padW = w + padR;
        // A window that spans the whole (padded) map sees every token already: no shift.
        int sh = windowH >= padH ? 0 : shiftH;
        int sw = windowW >= padW ? 0 : shiftW;
        boolean shifted = sh + sw > 0;
        if (shifted) {
            x = x.roll(new int[] {-sh, -sw}, new int[] {1, 2});
        }

        int rows = padH / windowH;
        int cols = padW / windowW;
        int windows = rows * cols;
        int n = windowH * windowW;
        int headDim = dim / numHeads;
        x = x.reshape(b, rows, windowH, cols, windowW, dim).permute(0, 1, 3, 2, 4, 5).reshape(b * windows, n, dim);

        Tensor qkvOut = qkv.call(x).reshape(b * windows, n, 3, numHeads, headDim).permute(2, 0, 3, 1, 4);
        Tensor q = qkvOut.select(0, 0).mul(Math.pow(headDim, -0.5));
        Tensor k = qkvOut.select(0, 1);
        Tensor v = qkvOut.select(0, 2);
        // softmax(q k^T + bias (+ mask of window w % windows), -1), fused: one pass forward and back.
        Tensor logits = q.matmul(k.transpose(-2, -1));
        Tensor attn = Functional.softmaxWithBias(logits, relativePositionBias(),
                shifted ? shiftMask(padH, padW, sh, sw, logits.dtype()) : null);
        // torchvision 0.14 calls F.dropout without training=, so it drops in eval too; Weft
        // drops only while training (torchvision fixed this later). Identical when p = 0.
        attn = Functional.dropout(attn, attentionDropout, isTraining());
        Tensor out = attn.matmul(v).transpose(1, 2).reshape(b * windows, n, dim);
        out = Functional.dropout(proj.call(out), dropout, isTraining());

        out = out.view(b, rows, cols, windowH, windowW, dim).permute(0, 1, 3, 2, 4, 5).reshape(b, padH, padW, dim);
        if (shifted) {
            out = out.roll(new int[] {sh, sw}, new int[] {1, 2});
        }
        if (padB + padR > 0) {
            out = out.slice(1, 0, h, 1).slice(2, 0, w, 1);
        }
        return out;
    }

    /**
     * {@code [windows, N, N]}: 0 where two tokens of a window came from the same region
     * of the rolled map, -100 where they did not. The regions are Swin's three bands per axis
     * (Python slices {@code [0:-win]}, {@code [-win:-shift]}, {@code [-shift:]}, with -0
     * meaning 0 as in Python, so an unshifted axis has one band).
     */
    private Tensor shiftMask(int padH, int padW, int sh, int sw, DType dtype) {
        if (cachedMask != null && cachedMaskH == padH && cachedMaskW == padW && cachedMask.dtype() == dtype) {
            return cachedMask;
        }
        int[] bandH = bands(padH, windowH, sh);
        int[] bandW = bands(padW, windowW, sw);
        int rows = padH / windowH;
        int cols = padW / windowW;
        int n = windowH * windowW;
        float[] mask = new float[rows * cols * n * n];
        int[] region = new int[n];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                for (int t = 0; t < n; t++) {
                    region[t] = bandH[r * windowH + t / windowW] * 3 + bandW[c * windowW + t % windowW];
                }
                int base = (r * cols + c) * n * n;
                for (int p = 0; p < n; p++) {
                    for (int q = 0; q < n; q++) {
                        mask[base + p * n + q] = region[p] == region[q] ? 0f : (float) MASKED;
                    }
                }
            }
        }
        cachedMask = Tensor.of(NDArray.of(mask, rows * cols, n, n).to(dtype));
        cachedMaskH = padH;
        cachedMaskW = padW;
        return cachedMask;
    }

    /** The band (0, 1 or 2) of each position along an axis of {@code size}, last band winning as in Swin's loop. */
    private static int[] bands(int size, int window, int shift) {
        int[][] slices = {{0, -window}, {-window, -shift}, {-shift, size}};
        int[] band = new int[size];
        for (int s = 0; s < 3; s++) {
            int start = slices[s][0] < 0 ? slices[s][0] + size : slices[s][0];
            int end = slices[s][1] < 0 ? slices[s][1] + size : slices[s][1];
            for (int i = Math.max(start, 0); i < Math.min(end, size); i++) {
                band[i] = s;
            }
        }
        return band;
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim + ", window_size=[" + windowH + ", " + windowW + "], shift_size=[" + shiftH + ", " + shiftW
                + "], num_heads=" + numHeads;
    }
}
