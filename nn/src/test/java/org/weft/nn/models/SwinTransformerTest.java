package org.weft.nn.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.weft.autograd.Grad;
import org.weft.autograd.Tensor;
import org.weft.nn.DropPath;
import org.weft.nn.Identity;
import org.weft.nn.Init;
import org.weft.nn.Sequential;

/** Swin's construction rules, stage geometry and checkpoint renaming; numerical parity with torchvision is SwinParityTest. */
class SwinTransformerTest {

    private static SwinTransformer.Config tiny(int[] depths, double stochasticDepth) {
        int[] heads = new int[depths.length];
        java.util.Arrays.fill(heads, 1);
        return new SwinTransformer.Config(new int[] {4, 4}, 8, depths, heads, new int[] {7, 7}, 2.0, 0, 0,
                stochasticDepth, 3);
    }

    @Test
    void stochasticDepthRisesLinearlyFromZeroAtTheFirstBlockToTheConfiguredProbabilityAtTheLast() {
        SwinTransformer model = SwinTransformer.swinT(10);
        List<Double> ps = new ArrayList<>();
        for (Map.Entry<String, org.weft.nn.Module> e : model.namedModules().entrySet()) {
            if (e.getValue() instanceof DropPath d) {
                ps.add(d.p);
            }
        }
        assertEquals(12, ps.size());
        for (int k = 0; k < 12; k++) {
            assertEquals(0.2 * k / 11, ps.get(k), 1e-12, "block " + k);
        }
    }

    @Test
    void aBlockDroppedByStochasticDepthIsTheIdentityAndEvalKeepsEveryBlock() {
        SwinTransformer model = new SwinTransformer(tiny(new int[] {2}, 1.0)); // block 0: p = 0, block 1: p = 1
        for (Tensor w : model.parameters()) {
            Init.normal_(w, 0, 0.5, null); // weights large enough that a block visibly changes the logits
        }
        Tensor x = Tensor.randn(2, 3, 28, 28);
        try (var g = Grad.disabled()) {
            Tensor trained = model.train().call(x);
            Tensor evaluated = model.eval().call(x);
            ((Sequential) model.module("features.1")).replace("1", new Identity());
            Tensor withoutBlock = model.call(x);
            assertArrayEquals(withoutBlock.toFloatArray(), trained.toFloatArray(), 1e-6f);
            assertTrue(maxAbsDiff(evaluated, withoutBlock) > 1e-4, "eval must run the block stochastic depth drops");
        }
    }

    @Test
    void stagesHalveWithCeilingAndDoubleChannelsAtAnySize() {
        SwinTransformer model = new SwinTransformer(tiny(new int[] {1, 1, 1, 2}, 0));
        Features f = model.features(Tensor.randn(1, 3, 200, 232));
        assertArrayEquals(new int[] {1, 8, 50, 58}, f.stages().get("stage1").dims());
        assertArrayEquals(new int[] {1, 16, 25, 29}, f.stages().get("stage2").dims());
        assertArrayEquals(new int[] {1, 32, 13, 15}, f.stages().get("stage3").dims());
        assertArrayEquals(new int[] {1, 64, 7, 8}, f.stages().get("stage4").dims());
        assertArrayEquals(new int[] {1, 64}, f.pooled().dims());
        assertArrayEquals(new int[] {1, 3}, model.call(Tensor.randn(1, 3, 20, 28)).dims());
    }

    @Test
    void configRefusesStagesItCannotBuild() {
        var mismatch = assertThrows(IllegalArgumentException.class, () -> new SwinTransformer.Config(new int[] {4, 4},
                96, new int[] {2, 2}, new int[] {3}, new int[] {7, 7}, 4, 0, 0, 0, 10));
        assertTrue(mismatch.getMessage().contains("[2, 2] and [3]"), mismatch.getMessage());
        var heads = assertThrows(IllegalArgumentException.class, () -> new SwinTransformer.Config(new int[] {4, 4},
                96, new int[] {2}, new int[] {5}, new int[] {7, 7}, 4, 0, 0, 0, 10));
        assertTrue(heads.getMessage().contains("dim 96 and 5 heads"), heads.getMessage());
    }

    @Test
    void officialAndOldTimmNamesPutPatchMergingAtTheEndOfItsStage() {
        assertEquals("features.2.reduction.weight", SwinCheckpoints.rename("layers.0.downsample.reduction.weight", true));
        assertEquals("features.6.norm.bias", SwinCheckpoints.rename("layers.2.downsample.norm.bias", true));
        assertEquals("head.weight", SwinCheckpoints.rename("head.weight", true));
    }

    @Test
    void newTimmNamesPutPatchMergingAtTheStartOfTheNextStage() {
        assertEquals("features.2.reduction.weight", SwinCheckpoints.rename("layers.1.downsample.reduction.weight", false));
        assertEquals("features.5.3.mlp.3.bias", SwinCheckpoints.rename("layers.2.blocks.3.mlp.fc2.bias", false));
        assertEquals("features.0.2.weight", SwinCheckpoints.rename("patch_embed.norm.weight", false));
        assertEquals("head.bias", SwinCheckpoints.rename("head.fc.bias", false));
    }

    @Test
    void converterReplacesTheSquareIndexWithTorchvisionsFlatOneAndDropsMasks() {
        Map<String, Tensor> out = SwinCheckpoints.fromTimm(Map.of(
                "layers.0.blocks.1.attn.relative_position_bias_table", Tensor.zeros(169, 3),
                "layers.0.blocks.1.attn.relative_position_index", Tensor.zeros(49, 49),
                "layers.0.blocks.1.attn_mask", Tensor.zeros(64, 49, 49)));
        assertEquals(2, out.size());
        long[] index = out.get("features.1.1.attn.relative_position_index").toLongArray();
        assertEquals(49 * 49, index.length);
        // Query (0, 0) and key (6, 6): offset (-6, -6), shifted to (0, 0), is row 0; the reverse pair is the last row.
        assertEquals(0, index[48]);
        assertEquals(168, index[48 * 49]);
        assertEquals(84, index[0]); // offset (0, 0): row 6 * 13 + 6
    }

    @Test
    void converterRefusesNamesItCannotPlace() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> SwinCheckpoints.fromTimm(Map.of("absolute_pos_embed", Tensor.zeros(1, 3136, 96))));
        assertTrue(e.getMessage().contains("absolute_pos_embed"), e.getMessage());
    }

    private static double maxAbsDiff(Tensor a, Tensor b) {
        float[] x = a.toFloatArray();
        float[] y = b.toFloatArray();
        double m = 0;
        for (int i = 0; i < x.length; i++) {
            m = Math.max(m, Math.abs(x[i] - y[i]));
        }
        return m;
    }
}
