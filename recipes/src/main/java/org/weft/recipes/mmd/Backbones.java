package org.weft.recipes.mmd;

import org.weft.nn.models.ResNet;

/** The branch networks the recipe's {@code backbone} key names: torchvision's ResNets. */
final class Backbones {

    static final String NAMES = "resnet18, resnet34, resnet50, resnet101";

    private Backbones() {
    }

    /** A fresh network with torchvision's initialisation and a {@code classes}-way head. */
    static ResNet create(String name, int classes) {
        return switch (name) {
            case "resnet18" -> ResNet.resnet18(classes);
            case "resnet34" -> ResNet.resnet34(classes);
            case "resnet50" -> ResNet.resnet50(classes);
            case "resnet101" -> ResNet.resnet101(classes);
            default -> throw new IllegalArgumentException("backbone '" + name + "' is not one of " + NAMES);
        };
    }
}
