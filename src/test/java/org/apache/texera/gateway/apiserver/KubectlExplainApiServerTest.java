package org.apache.texera.gateway.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.texera.gateway.conformance.TexeraGatewayCrd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * What an administrator reads with the kit's kubectl v1.28: {@code kubectl explain} documents every field of the
 * TexeraGateway, spec and status, from the CRD the API server serves.
 */
@ExtendWith(RequiresApiServer.class)
class KubectlExplainApiServerTest {

    @Test
    void kubectlExplainDocumentsEveryField() throws Exception {
        ApiServerKit kit = ApiServerKit.get();
        JsonNode schema = new ObjectMapper(new YAMLFactory()).readTree(TexeraGatewayCrd.file().toFile())
                .path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema").path("properties");
        List<String> fields = new ArrayList<>();
        collect("spec", schema.path("spec"), fields);
        collect("status", schema.path("status"), fields);
        assertThat(fields).hasSizeGreaterThan(40);

        List<String> undocumented = new ArrayList<>();
        for (String field : fields) {
            String explained = kit.kubectl("explain", "texeragateways." + field);
            String description = explained.substring(explained.indexOf("DESCRIPTION:") + "DESCRIPTION:".length());
            int fieldsAt = description.indexOf("FIELDS:");
            description = (fieldsAt < 0 ? description : description.substring(0, fieldsAt)).strip();
            if (description.isEmpty() || description.equals("<empty>")) {
                undocumented.add(field);
            }
        }
        assertThat(undocumented).as("fields kubectl explain shows without a description").isEmpty();
    }

    /** Every property path below a schema node, through objects and array items. */
    private static void collect(String path, JsonNode node, List<String> out) {
        out.add(path);
        JsonNode properties = node.path("type").asText().equals("array") ? node.path("items").path("properties")
                : node.path("properties");
        for (Map.Entry<String, JsonNode> property : (Iterable<Map.Entry<String, JsonNode>>) properties::fields) {
            collect(path + "." + property.getKey(), property.getValue(), out);
        }
    }
}
