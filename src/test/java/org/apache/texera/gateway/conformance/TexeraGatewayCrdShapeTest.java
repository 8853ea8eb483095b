package org.apache.texera.gateway.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/** What `kubectl get` and `kubectl explain` show of the TexeraGateway CRD. */
class TexeraGatewayCrdShapeTest {
    private static JsonNode crd;
    private static JsonNode version;

    @BeforeAll
    static void load() throws IOException {
        crd = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(TexeraGatewayCrd.file()));
        version = crd.at("/spec/versions/0");
    }

    @Test
    void isNamespacedWithTheShortNameTgwAndAStatusSubresource() {
        assertThat(crd.at("/spec/group").asText()).isEqualTo("texera.apache.org");
        assertThat(crd.at("/spec/scope").asText()).isEqualTo("Namespaced");
        assertThat(crd.at("/spec/names/shortNames/0").asText()).isEqualTo("tgw");
        assertThat(version.at("/name").asText()).isEqualTo("v1alpha1");
        assertThat(version.at("/subresources/status").isObject()).isTrue();
    }

    @Test
    void printerColumnsShowReadyUnitsAddressAndAgeInTheOrderPeopleReadThem() {
        Map<String, String> columns = new java.util.LinkedHashMap<>();
        Map<String, Integer> priorities = new java.util.HashMap<>();
        version.at("/additionalPrinterColumns").forEach(c -> {
            columns.put(c.at("/name").asText(), c.at("/jsonPath").asText());
            priorities.put(c.at("/name").asText(), c.at("/priority").asInt());
        });

        // kubectl prints NAME, then these in order; priority 1 only with -o wide.
        assertThat(columns.keySet()).containsExactly("Ready", "Reason", "Units", "Address", "Age");
        assertThat(priorities).containsEntry("Reason", 1).containsEntry("Ready", 0).containsEntry("Units", 0)
                .containsEntry("Address", 0).containsEntry("Age", 0);

        assertThat(columns).containsEntry("Ready", ".status.conditions[?(@.type==\"Ready\")].status")
                .containsEntry("Address", ".status.addresses[0]")
                .containsEntry("Units", ".status.units.routed")
                .containsEntry("Age", ".metadata.creationTimestamp");
    }

    @Test
    void everyFieldOfSpecAndStatusHasADescription() {
        List<String> undocumented = new ArrayList<>();
        JsonNode root = version.at("/schema/openAPIV3Schema/properties");
        collectUndocumented(root.get("spec"), "spec", undocumented);
        collectUndocumented(root.get("status"), "status", undocumented);

        assertThat(undocumented).isEmpty();
    }

    private static void collectUndocumented(JsonNode schema, String path, List<String> undocumented) {
        if (!schema.hasNonNull("description") || schema.get("description").asText().isBlank()) {
            undocumented.add(path);
        }
        schema.path("properties").fields().forEachRemaining(field -> collectUndocumented(field.getValue(),
                path + "." + field.getKey(), undocumented));
        JsonNode items = schema.path("items");
        if (items.path("properties").size() > 0) {
            items.path("properties").fields().forEachRemaining(field -> collectUndocumented(field.getValue(),
                    path + "[]." + field.getKey(), undocumented));
        }
    }
}
