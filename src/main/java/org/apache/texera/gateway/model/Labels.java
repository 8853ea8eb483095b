package org.apache.texera.gateway.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The labels on every object the operator writes. The operator lists, updates and deletes only objects that carry
 * {@link #MANAGED_BY} and its gateway's name and namespace, so it never touches cert-manager's solver routes or
 * anyone else's objects.
 */
public final class Labels {
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String OPERATOR = "texera-gateway-operator";
    public static final String GATEWAY = "texera.apache.org/gateway";
    public static final String GATEWAY_NAMESPACE = "texera.apache.org/gateway-namespace";
    public static final String COMPONENT = "texera.apache.org/component";
    public static final String UNIT_ID = "texera.apache.org/unit-id";

    /** The static topology: Gateway, static routes, policies, grants. */
    public static final String COMPONENT_TOPOLOGY = "topology";
    /** A computing unit's Service and HTTPRoute. */
    public static final String COMPONENT_UNIT = "unit";

    /** Label selector of everything the operator writes for the static topology, across gateways. */
    public static final String TOPOLOGY_SELECTOR = MANAGED_BY + "=" + OPERATOR + "," + COMPONENT + "=" + COMPONENT_TOPOLOGY;
    /** Label selector of every unit object, across gateways. */
    public static final String UNIT_SELECTOR = MANAGED_BY + "=" + OPERATOR + "," + COMPONENT + "=" + COMPONENT_UNIT;

    private Labels() {
    }

    public static Map<String, String> topology(GatewayRef gateway) {
        return base(gateway, COMPONENT_TOPOLOGY);
    }

    public static Map<String, String> unit(GatewayRef gateway, long unitId) {
        Map<String, String> labels = base(gateway, COMPONENT_UNIT);
        labels.put(UNIT_ID, Long.toString(unitId));
        return labels;
    }

    /** What the shared unit policies select: every unit route of this gateway, and nothing else. */
    public static Map<String, String> unitRouteSelector(GatewayRef gateway) {
        return base(gateway, COMPONENT_UNIT);
    }

    /** The gateway an object belongs to, read back from its labels; null when it has none of ours. */
    public static GatewayRef gatewayOf(Map<String, String> labels) {
        if (labels == null || !OPERATOR.equals(labels.get(MANAGED_BY))) {
            return null;
        }
        String name = labels.get(GATEWAY);
        String namespace = labels.get(GATEWAY_NAMESPACE);
        return name == null || namespace == null ? null : new GatewayRef(namespace, name);
    }

    private static Map<String, String> base(GatewayRef gateway, String component) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MANAGED_BY, OPERATOR);
        labels.put(GATEWAY, gateway.name());
        labels.put(GATEWAY_NAMESPACE, gateway.namespace());
        labels.put(COMPONENT, component);
        return labels;
    }
}
