package org.weft.recipes.mmd;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.weft.recipes.data.Dataset;
import org.weft.recipes.data.FashionMnist;

/**
 * The datasets of one protocol: the source task's training and test sets and, by name, each target task's. The
 * config key {@code protocol} picks how they are made.
 */
record TransferData(String protocol, Dataset sourceTrain, Dataset sourceTest, Map<String, Dataset> targetTrain,
                    Map<String, Dataset> targetTest) {

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
                return new TransferData(protocol, p.sourceTrain(), p.sourceTest(), train, test);
            }
            case "deepfashion":
                // The real layouts (DeepFashion, ACWS, HipsterWars) need their loaders, which this build lacks.
                throw new IllegalArgumentException("protocol 'deepfashion' (DeepFashion -> ACWS / HipsterWars) needs the"
                        + " DeepFashion, ACWS and HipsterWars loaders, which are not in this build yet; use protocol"
                        + " 'fashion-mnist-proxy'");
            default:
                throw new IllegalArgumentException("protocol '" + protocol + "' is not one of " + PROTOCOLS);
        }
    }

    /** Target {@code name}'s training set; an unknown name is an error listing the targets. */
    Dataset train(String name) {
        return require(targetTrain, name);
    }

    Dataset test(String name) {
        return require(targetTest, name);
    }

    private Dataset require(Map<String, Dataset> sets, String name) {
        Dataset d = sets.get(name);
        if (d == null) {
            throw new IllegalArgumentException("protocol " + protocol + " has targets " + sets.keySet() + ", got '" + name
                    + "'");
        }
        return d;
    }
}
