package org.weft.recipes.mmd;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.weft.recipes.data.Dataset;
import org.weft.recipes.data.FashionMnist;
import org.weft.recipes.data.Transform;

/**
 * The datasets of one protocol: the source task's training and test sets and, by name, each target task's, with
 * the transforms that make a decoded image a network input for training ({@code trainInput}) and for evaluation
 * ({@code evalInput}), and a description of the data for the notes (empty for the proxy, which Notes describes).
 * The config key {@code protocol} picks how they are made.
 */
record TransferData(String protocol, Dataset sourceTrain, Dataset sourceTest, Map<String, Dataset> targetTrain,
                    Map<String, Dataset> targetTest, Transform trainInput, Transform evalInput, String description) {

    static final List<String> PROTOCOLS = List.of("fashion-mnist-proxy", "deepfashion");

    /**
     * The datasets of {@code protocol} under {@code dataDir} (null: the protocol's default place); {@code sizes}
     * applies to the proxy.
     */
    static TransferData load(String protocol, Path dataDir, long seed, FashionMnistProxy.Sizes sizes)
            throws IOException {
        switch (protocol) {
            case "fashion-mnist-proxy": {
                FashionMnistProxy p = FashionMnistProxy.load(dataDir == null ? FashionMnist.DEFAULT_DIR : dataDir, seed,
                        sizes);
                Map<String, Dataset> train = new LinkedHashMap<>();
                Map<String, Dataset> test = new LinkedHashMap<>();
                for (String t : List.of("A", "B")) {
                    train.put(t, p.targetTrain(t));
                    test.put(t, p.targetTest(t));
                }
                // Proxy images are already 32x32: no resizing or augmentation, only the ImageNet standardisation.
                return new TransferData(protocol, p.sourceTrain(), p.sourceTest(), train, test, new ImageNetInput(),
                        new ImageNetInput(), "");
            }
            case DeepFashionProtocol.NAME:
                throw new IllegalArgumentException("protocol 'deepfashion' is read from the recipe's config:"
                        + " DeepFashionProtocol.load(config, dataDir, targets)");
            default:
                throw new IllegalArgumentException("protocol '" + protocol + "' is not one of " + PROTOCOLS);
        }
    }

    /** The name target {@code given} carries in run names and tables (deepfashion: A is ACWS, and so on). */
    String targetName(String given) {
        return protocol.equals(DeepFashionProtocol.NAME) ? DeepFashionProtocol.target(given) : given;
    }

    /** Target {@code name}'s training set; an unknown name is an error listing the targets. */
    Dataset train(String name) {
        return require(targetTrain, name);
    }

    Dataset test(String name) {
        return require(targetTest, name);
    }

    private Dataset require(Map<String, Dataset> sets, String given) {
        String name = targetName(given);
        Dataset d = sets.get(name);
        if (d == null) {
            throw new IllegalArgumentException("protocol " + protocol + " has targets " + sets.keySet() + ", got '" + name
                    + "'");
        }
        return d;
    }
}
