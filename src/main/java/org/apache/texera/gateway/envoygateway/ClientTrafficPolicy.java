package org.apache.texera.gateway.envoygateway;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * How the Gateway's listeners treat clients: idle timeouts long enough for WebSockets, and the identity headers that
 * ext-auth sets removed from every request as it arrives, before any filter runs.
 */
@Group(EnvoyGatewayKinds.GROUP)
@Version(EnvoyGatewayKinds.VERSION)
public class ClientTrafficPolicy extends CustomResource<ClientTrafficPolicy.Spec, EnvoyGatewayKinds.PolicyStatus>
        implements Namespaced {

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Spec(List<EnvoyGatewayKinds.TargetRef> targetRefs, EnvoyGatewayKinds.Timeouts timeout, Headers headers) {
    }

    /** {@code spec.headers}: only what the operator sets. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Headers(EarlyRequestHeaders earlyRequestHeaders) {
    }

    /**
     * {@code spec.headers.earlyRequestHeaders}: Envoy's early header mutation, which runs before routing and before
     * every HTTP filter, ext_authz included.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EarlyRequestHeaders(List<String> remove) {
    }
}
