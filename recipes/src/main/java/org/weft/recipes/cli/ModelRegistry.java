package org.weft.recipes.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.weft.autograd.Tensor;
import org.weft.nn.Module;
import org.weft.nn.models.GoogLeNet;
import org.weft.nn.models.ResNet;
import org.weft.nn.models.SwinTransformer;

/** The architectures {@code weft infer --arch} knows, by name. */
public final class ModelRegistry {

    private final Map<String, ModelFactory> factories = new LinkedHashMap<>();

    /**
     * The architectures of the model zoo, built as torchvision's constructors build them
     * with {@code num_classes} given and no weights: ResNets, GoogLeNet with its two
     * auxiliary heads and without {@code transform_input}, and Swin T/S/B/L (window 7).
     */
    public static ModelRegistry standard() {
        return new ModelRegistry()
                .register("resnet18", n -> InferenceModel.of(ResNet.resnet18(n)))
                .register("resnet34", n -> InferenceModel.of(ResNet.resnet34(n)))
                .register("resnet50", n -> InferenceModel.of(ResNet.resnet50(n)))
                .register("resnet101", n -> InferenceModel.of(ResNet.resnet101(n)))
                .register("resnet152", n -> InferenceModel.of(ResNet.resnet152(n)))
                .register("googlenet", n -> googlenet(GoogLeNet.googlenet(n, true, false)))
                .register("swin_t", n -> InferenceModel.of(SwinTransformer.swinT(n)))
                .register("swin_s", n -> InferenceModel.of(SwinTransformer.swinS(n)))
                .register("swin_b", n -> InferenceModel.of(SwinTransformer.swinB(n)))
                .register("swin_l", n -> InferenceModel.of(SwinTransformer.swinL(n)));
    }

    /** GoogLeNet names its auxiliary outputs, which it computes only in training. */
    private static InferenceModel googlenet(GoogLeNet model) {
        return new InferenceModel() {
            @Override
            public Module module() {
                return model;
            }

            @Override
            public Map<String, Tensor> forward(Tensor input, Mode mode) {
                GoogLeNet.Outputs out = model.forwardWithAux(input);
                Map<String, Tensor> named = new LinkedHashMap<>();
                named.put("logits", out.logits());
                if (out.aux1() != null) {
                    named.put("aux1", out.aux1());
                    named.put("aux2", out.aux2());
                }
                return named;
            }
        };
    }

    /** Adds (or replaces) architecture {@code name}; returns this registry. */
    public ModelRegistry register(String name, ModelFactory factory) {
        factories.put(name, factory);
        return this;
    }

    /** The known names, in registration order. */
    public List<String> names() {
        return new ArrayList<>(factories.keySet());
    }

    /** Builds {@code name} with {@code numClasses} outputs, or says which names exist. */
    public InferenceModel create(String name, int numClasses) {
        ModelFactory f = factories.get(name);
        if (f == null) {
            throw new IllegalArgumentException("unknown architecture '" + name + "'; known: "
                    + (factories.isEmpty() ? "none in this build" : String.join(", ", factories.keySet())));
        }
        if (numClasses < 1) {
            throw new IllegalArgumentException("--num-classes must be at least 1, got " + numClasses);
        }
        return f.create(numClasses);
    }
}
