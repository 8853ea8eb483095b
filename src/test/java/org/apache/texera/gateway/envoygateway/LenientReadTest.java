package org.apache.texera.gateway.envoygateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * What the API server returns carries CRD defaults and fields of newer Envoy Gateway releases: reading it back must
 * never fail (it did, on consistentHash.tableSize, and the reconcile never finished).
 */
class LenientReadTest {

    @Test
    void aBackendTrafficPolicyWithServerDefaultsAndNewFieldsReads() {
        String json = """
                {"apiVersion": "gateway.envoyproxy.io/v1alpha1", "kind": "BackendTrafficPolicy",
                 "metadata": {"name": "texera-agent-service", "namespace": "texera"},
                 "spec": {"targetRefs": [{"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "name": "x",
                                          "sectionName": "new-in-a-later-release"}],
                          "loadBalancer": {"type": "ConsistentHash",
                                           "consistentHash": {"type": "Header", "header": {"name": "X-Agent-Workflow-Id"},
                                                              "tableSize": 65537}},
                          "somethingNew": {"enabled": true}},
                 "status": {"ancestors": [{"ancestorRef": {"name": "texera"}, "controllerName": "c",
                                           "conditions": [], "newField": 1}]}}
                """;
        BackendTrafficPolicy policy = new KubernetesSerialization().unmarshal(json, BackendTrafficPolicy.class);
        assertThat(policy.getSpec().loadBalancer().consistentHash().header().name()).isEqualTo("X-Agent-Workflow-Id");
    }

    @Test
    void everyEnvoyGatewayTypeIgnoresFieldsItDoesNotKnow() {
        List<Class<?>> types = new ArrayList<>();
        for (Class<?> kind : List.of(BackendTrafficPolicy.class, ClientTrafficPolicy.class, EnvoyProxy.class,
                SecurityPolicy.class, EnvoyGatewayKinds.class)) {
            for (Class<?> nested : kind.getDeclaredClasses()) {
                if (nested.isRecord()) {
                    types.add(nested);
                }
            }
        }
        assertThat(types).hasSizeGreaterThan(20).allSatisfy(type -> assertThat(type.getAnnotation(JsonIgnoreProperties.class))
                .as("%s: @JsonIgnoreProperties(ignoreUnknown = true)", type.getName()).isNotNull()
                .returns(true, JsonIgnoreProperties::ignoreUnknown));
    }
}
