package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.Shape;

/**
 * Tiles a tensor, as {@code torch.Tensor.repeat}. Each input element appears once per tile,
 * so its gradient is the sum over the tiles: seen as {@code (r0, d0, r1, d1, ...)}, the output
 * gradient is summed over every r.
 */
public final class Repeat extends Function {

    private final int[] repeats;
    private Shape inputShape;

    public Repeat(int... repeats) {
        this.repeats = repeats.clone();
    }

    @Override
    protected Tensor forward(Tensor... in) {
        inputShape = in[0].shape();
        return result(in[0].data().repeat(repeats));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        int lead = repeats.length - inputShape.rank();
        int[] tiles = new int[2 * repeats.length];
        int[] tileDims = new int[repeats.length];
        for (int i = 0; i < repeats.length; i++) {
            tiles[2 * i] = repeats[i];
            tiles[2 * i + 1] = i < lead ? 1 : inputShape.size(i - lead);
            tileDims[i] = 2 * i;
        }
        return grads(grad.reshape(tiles).sum(tileDims, false).reshape(inputShape.dims()));
    }
}
