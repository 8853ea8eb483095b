package org.apache.texera.gateway.envoygateway;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/** Settings of the Envoy fleet behind one Gateway, referenced from its infrastructure.parametersRef. */
@Group(EnvoyGatewayKinds.GROUP)
@Version(EnvoyGatewayKinds.VERSION)
public class EnvoyProxy extends CustomResource<EnvoyProxy.Spec, Void> implements Namespaced {

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Spec(Provider provider) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Provider(String type, KubernetesProvider kubernetes) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record KubernetesProvider(EnvoyDeployment envoyDeployment, EnvoyService envoyService) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EnvoyDeployment(Integer replicas, EnvoyPod pod) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record EnvoyPod(Map<String, String> annotations, Map<String, String> nodeSelector) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record EnvoyService(String type, Map<String, String> annotations) {
    }
}
