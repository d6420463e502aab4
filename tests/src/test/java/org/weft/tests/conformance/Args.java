package org.weft.tests.conformance;

import com.fasterxml.jackson.databind.JsonNode;

/** A case's keyword arguments, as PyTorch was called with them. */
final class Args {

    private final JsonNode node;

    Args(JsonNode node) {
        this.node = node;
    }

    boolean has(String key) {
        return node.has(key) && !node.get(key).isNull();
    }

    private JsonNode require(String key) {
        JsonNode v = node.get(key);
        if (v == null) {
            throw new IllegalArgumentException("golden case lacks argument '" + key + "': " + node);
        }
        return v;
    }

    int i(String key) {
        return require(key).asInt();
    }

    int i(String key, int fallback) {
        return has(key) ? node.get(key).asInt() : fallback;
    }

    double d(String key) {
        return require(key).asDouble();
    }

    double d(String key, double fallback) {
        return has(key) ? node.get(key).asDouble() : fallback;
    }

    boolean b(String key) {
        return require(key).asBoolean();
    }

    boolean b(String key, boolean fallback) {
        return has(key) ? node.get(key).asBoolean() : fallback;
    }

    String s(String key) {
        return require(key).asText();
    }

    String s(String key, String fallback) {
        return has(key) ? node.get(key).asText() : fallback;
    }

    /** An int list; a single int is a list of one. */
    int[] ints(String key) {
        JsonNode v = require(key);
        if (!v.isArray()) {
            return new int[] {v.asInt()};
        }
        int[] out = new int[v.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = v.get(k).asInt();
        }
        return out;
    }

    double[] doubles(String key) {
        JsonNode v = require(key);
        if (!v.isArray()) {
            return new double[] {v.asDouble()};
        }
        double[] out = new double[v.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = v.get(k).asDouble();
        }
        return out;
    }

    @Override
    public String toString() {
        return node.toString();
    }
}
