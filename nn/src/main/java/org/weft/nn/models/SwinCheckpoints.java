package org.weft.nn.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.weft.autograd.Tensor;

/**
 * Renames Swin v1 state dicts from timm and the official implementation
 * (microsoft/Swin-Transformer) to torchvision's names, which {@link SwinTransformer} uses.
 *
 * <p>Two source layouts are told apart by where patch merging sits:
 * <ul>
 * <li>official, and timm before 0.9: {@code layers.i.downsample} ends stage i, so it becomes
 *     {@code features.(2i+2)}; the head is {@code head}. These carry {@code relative_position_index}
 *     as {@code [N, N]} and {@code attn_mask} buffers.</li>
 * <li>timm 0.9 and later: {@code layers.i.downsample} (i >= 1) starts stage i, so it becomes
 *     {@code features.(2i)}; the head is {@code head.fc}; no index or mask buffers.</li>
 * </ul>
 * A state dict with {@code layers.0.downsample} is the first kind, otherwise the second.
 *
 * <p>Both name the rest alike: {@code patch_embed.proj} is {@code features.0.0},
 * {@code patch_embed.norm} {@code features.0.2}, {@code layers.i.blocks.j} {@code features.(2i+1).j}
 * with {@code mlp.fc1/fc2} as {@code mlp.0/mlp.3}. Tensors are passed through untouched:
 * all three implementations concatenate a 2x2 patch in the same order
 * ({@code x[0::2,0::2], x[1::2,0::2], x[0::2,1::2], x[1::2,1::2]}; timm 0.9's reshape-permute
 * gives that order too), so patch merging weights need no permutation. {@code attn_mask} is
 * dropped (torchvision builds the mask from the input size) and {@code relative_position_index}
 * is replaced by torchvision's flat {@code [N*N]} one for the window its bias table implies.
 */
public final class SwinCheckpoints {

    private SwinCheckpoints() {
    }

    private static final Pattern BLOCK = Pattern.compile("layers\\.(\\d+)\\.blocks\\.(\\d+)\\.(.+)");
    private static final Pattern DOWNSAMPLE = Pattern.compile("layers\\.(\\d+)\\.downsample\\.(.+)");
    private static final String TABLE = "attn.relative_position_bias_table";

    /** {@code state} (timm or official names) under torchvision's names; unknown names are an error. */
    public static Map<String, Tensor> fromTimm(Map<String, Tensor> state) {
        boolean mergeEndsStage = state.keySet().stream().anyMatch(k -> k.startsWith("layers.0.downsample."));
        Map<String, Tensor> out = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            String key = e.getKey();
            if (key.endsWith(".relative_position_index") || key.endsWith(".attn_mask")) {
                continue;
            }
            String name = rename(key, mergeEndsStage);
            if (name == null) {
                unknown.add(key);
                continue;
            }
            out.put(name, e.getValue());
            if (name.endsWith(TABLE)) {
                String index = name.substring(0, name.length() - TABLE.length()) + "attn.relative_position_index";
                int side = windowSide(key, e.getValue());
                out.put(index, ShiftedWindowAttention.relativePositionIndex(side, side));
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("SwinCheckpoints.fromTimm: no torchvision name for " + unknown
                    + " (absolute position embeddings and non-Swin-v1 layers are not supported)");
        }
        return out;
    }

    /** The torchvision name of {@code key}, or null when there is none. */
    static String rename(String key, boolean mergeEndsStage) {
        if (key.startsWith("patch_embed.proj.")) {
            return "features.0.0." + key.substring("patch_embed.proj.".length());
        }
        if (key.startsWith("patch_embed.norm.")) {
            return "features.0.2." + key.substring("patch_embed.norm.".length());
        }
        Matcher m = BLOCK.matcher(key);
        if (m.matches()) {
            String rest = m.group(3).replace("mlp.fc1.", "mlp.0.").replace("mlp.fc2.", "mlp.3.");
            return "features." + (2 * Integer.parseInt(m.group(1)) + 1) + "." + m.group(2) + "." + rest;
        }
        m = DOWNSAMPLE.matcher(key);
        if (m.matches()) {
            int stage = Integer.parseInt(m.group(1));
            return "features." + (mergeEndsStage ? 2 * stage + 2 : 2 * stage) + "." + m.group(2);
        }
        if (key.startsWith("norm.")) {
            return key;
        }
        if (key.startsWith("head.fc.")) {
            return "head." + key.substring("head.fc.".length());
        }
        if (key.startsWith("head.")) {
            return key;
        }
        return null;
    }

    /** The window side w of a square window whose bias table has (2w-1)^2 rows. */
    private static int windowSide(String key, Tensor table) {
        int rows = table.size(0);
        int root = (int) Math.round(Math.sqrt(rows));
        if (root * root != rows || root % 2 == 0) {
            throw new IllegalArgumentException("SwinCheckpoints.fromTimm: " + key + " has " + rows
                    + " rows, not (2w-1)^2 for a square window w");
        }
        return (root + 1) / 2;
    }
}
