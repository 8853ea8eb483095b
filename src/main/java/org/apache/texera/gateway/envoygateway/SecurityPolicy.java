package org.apache.texera.gateway.envoygateway;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/** Ext-auth (for unit routes) or CORS (for the object storage route). */
@Group(EnvoyGatewayKinds.GROUP)
@Version(EnvoyGatewayKinds.VERSION)
public class SecurityPolicy extends CustomResource<SecurityPolicy.Spec, EnvoyGatewayKinds.PolicyStatus> implements Namespaced {

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Spec(List<EnvoyGatewayKinds.TargetRef> targetRefs, List<EnvoyGatewayKinds.TargetSelector> targetSelectors,
            ExtAuth extAuth, Cors cors) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ExtAuth(HttpExtAuth http, Boolean failOpen, BodyToExtAuth bodyToExtAuth, String timeout) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HttpExtAuth(List<EnvoyGatewayKinds.BackendRef> backendRefs, String path, List<String> headersToBackend) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record BodyToExtAuth(int maxRequestBytes) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Cors(List<String> allowOrigins, List<String> allowMethods, List<String> allowHeaders,
            List<String> exposeHeaders, String maxAge) {
    }
}
