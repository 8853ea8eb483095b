package org.apache.texera.gateway.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class GoldenDiffTest {
    private static final String SERVICE_A = """
            ---
            apiVersion: "v1"
            kind: "Service"
            metadata:
              name: "a"
              namespace: "pool"
            spec:
              clusterIP: "None"
              ports:
              - port: 8085
            """;
    private static final String ROUTE_B = """
            ---
            apiVersion: "gateway.networking.k8s.io/v1"
            kind: "HTTPRoute"
            metadata:
              name: "b"
              namespace: "pool"
            """;
    private static final String CLASS_C = """
            ---
            kind: "GatewayClass"
            metadata:
              name: "c"
            """;

    @Test
    void namesAChangedObjectAndShowsOnlyTheChangedLinesWithContext() {
        String diff = GoldenDiff.describe(SERVICE_A + ROUTE_B, SERVICE_A.replace("8085", "8086") + ROUTE_B);

        assertThat(diff).startsWith("changed object: Service pool/a").contains("-   - port: 8085", "+   - port: 8086")
                .doesNotContain("HTTPRoute");
    }

    @Test
    void namesMissingAndUnexpectedObjects() {
        String diff = GoldenDiff.describe(SERVICE_A + ROUTE_B, SERVICE_A + CLASS_C);

        assertThat(diff).contains("missing object: HTTPRoute pool/b", "unexpected object: GatewayClass c");
    }

    @Test
    void saysWhenOnlyTheOrderDiffers() {
        assertThat(GoldenDiff.describe(SERVICE_A + ROUTE_B, ROUTE_B + SERVICE_A)).startsWith("same objects in another order");
    }

    @Test
    void keysRepeatedObjectsApart() {
        assertThat(GoldenDiff.documents(SERVICE_A + SERVICE_A)).containsOnlyKeys("Service pool/a", "Service pool/a #2");
    }

    @Test
    void lineDiffElidesUnchangedRunsLongerThanTheContext() {
        List<String> before = List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12");
        List<String> after = List.of("1", "two", "3", "4", "5", "6", "7", "8", "9", "10", "eleven", "12");

        assertThat(GoldenDiff.lineDiff(before, after)).containsExactly(
                "  1", "- 2", "+ two", "  3", "  4", "  5", "  ...", "  8", "  9", "  10", "- 11", "+ eleven", "  12");
    }
}
