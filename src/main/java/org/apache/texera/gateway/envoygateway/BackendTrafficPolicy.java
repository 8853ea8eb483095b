package org.apache.texera.gateway.envoygateway;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/** How Envoy talks to backends: load balancing, connection limits and timeouts. */
@Group(EnvoyGatewayKinds.GROUP)
@Version(EnvoyGatewayKinds.VERSION)
public class BackendTrafficPolicy extends CustomResource<BackendTrafficPolicy.Spec, EnvoyGatewayKinds.PolicyStatus>
        implements Namespaced {

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Spec(List<EnvoyGatewayKinds.TargetRef> targetRefs, List<EnvoyGatewayKinds.TargetSelector> targetSelectors,
            LoadBalancer loadBalancer, CircuitBreaker circuitBreaker, EnvoyGatewayKinds.Timeouts timeout) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LoadBalancer(String type, ConsistentHash consistentHash) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ConsistentHash(String type, HeaderName header) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record HeaderName(String name) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CircuitBreaker(Long maxConnections, Long maxPendingRequests, Long maxParallelRequests) {
    }
}
