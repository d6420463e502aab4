package org.weft.tests.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** One golden case of the manifest: which op, on what, and how closely Weft must agree. */
record GoldenCase(String name, String op, Args args, double tol, double gradTol, boolean gradcheck,
                  boolean gradgradcheck, boolean grads, List<InputSpec> inputs, int outputs, String file) {

    /** An input: its name, the view steps applied to its stored base, and whether its gradient is checked. */
    record InputSpec(String name, JsonNode views, boolean requiresGrad) {
    }

    static GoldenCase parse(JsonNode c) {
        List<InputSpec> inputs = new ArrayList<>();
        for (JsonNode in : c.get("inputs")) {
            inputs.add(new InputSpec(in.get("name").asText(), in.get("views"), in.get("requires_grad").asBoolean()));
        }
        return new GoldenCase(c.get("name").asText(), c.get("op").asText(), new Args(c.get("args")),
                c.get("tol").asDouble(), c.get("grad_tol").asDouble(), c.get("gradcheck").asBoolean(),
                c.get("gradgradcheck").asBoolean(), c.get("grads").asBoolean(), inputs, c.get("outputs").asInt(),
                c.get("file").asText());
    }
}
