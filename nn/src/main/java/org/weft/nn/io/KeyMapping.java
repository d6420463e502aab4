package org.weft.nn.io;

import java.util.Map;
import org.weft.autograd.Tensor;

/**
 * A renaming (and, where layouts differ, reshaping) of a state dict from another library's
 * names to Weft's, as timm's Swin names to torchvision's. Applied by {@code weft convert --from}.
 */
@FunctionalInterface
public interface KeyMapping {

    /** The mapping that keeps every name and tensor as it is. */
    KeyMapping NONE = state -> state;

    /** The state dict under Weft's names; an error names any key the mapping does not know. */
    Map<String, Tensor> apply(Map<String, Tensor> state);
}
