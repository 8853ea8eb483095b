package org.apache.texera.gateway.envoygateway;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;

/** Value types shared by Envoy Gateway's policy kinds. */
public final class EnvoyGatewayKinds {
    public static final String GROUP = "gateway.envoyproxy.io";
    public static final String VERSION = "v1alpha1";
    /** Envoy Gateway's controller name, as its GatewayClasses and policy statuses carry it. */
    public static final String CONTROLLER_NAME = "gateway.envoyproxy.io/gatewayclass-controller";

    private EnvoyGatewayKinds() {
    }

    /** A policy's target by name, e.g. one HTTPRoute or the Gateway. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TargetRef(String group, String kind, String name) {
    }

    /** A policy's targets by label: every object of the kind whose labels match, in the policy's namespace. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TargetSelector(String group, String kind, Map<String, String> matchLabels) {
    }

    /** A Service reference that may cross namespaces (with a ReferenceGrant). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BackendRef(String name, String namespace, Integer port) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HttpTimeouts(String requestTimeout, String connectionIdleTimeout, String streamIdleTimeout,
            String idleTimeout) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Timeouts(HttpTimeouts http) {
    }

    /** What Envoy Gateway reports on a policy: one entry per ancestor (Gateway) it attached to. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PolicyStatus(List<PolicyAncestorStatus> ancestors) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PolicyAncestorStatus(ParentReference ancestorRef, String controllerName, List<Condition> conditions) {
    }
}
