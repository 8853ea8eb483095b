package org.apache.texera.gateway.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.texera.gateway.api.v1alpha1.UnitPathMatch;
import org.apache.texera.gateway.model.EffectiveSpec.UnitMatch;
import org.apache.texera.gateway.model.EffectiveSpec.Units;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRefBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPPathMatchBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPQueryParamMatchBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatchBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRuleBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;

/**
 * A ready computing unit's two objects: a Service that selects its pod, and an HTTPRoute that sends its requests
 * there. Both are owned by the pod, so the cluster deletes them with it even while the operator is down. Pure.
 */
public final class UnitModel {

    /** The pod facts routing needs; nothing from its spec, which carries Texera's secrets. */
    public record UnitPod(String name, String uid, long unitId) {
    }

    private UnitModel() {
    }

    public static List<HasMetadata> desired(EffectiveSpec spec, UnitPod pod) {
        return List.of(service(spec, pod), route(spec, pod));
    }

    public static Service service(EffectiveSpec spec, UnitPod pod) {
        Units units = spec.units();
        Map<String, String> selector = new TreeMap<>(units.podSelector());
        selector.put(units.idLabel(), Long.toString(pod.unitId()));
        return new ServiceBuilder().withMetadata(meta(spec, pod)).withNewSpec()
                // Headless: Envoy Gateway routes to the endpoints itself, so a ClusterIP would only add kube-proxy rules.
                .withClusterIP("None")
                .withSelector(selector)
                .withPorts(new ServicePortBuilder().withName("http").withProtocol("TCP").withPort(units.port())
                        .withTargetPort(new IntOrString(units.port()))
                        .withAppProtocol(GatewayModel.WEBSOCKET_APP_PROTOCOL).build())
                .endSpec().build();
    }

    public static HTTPRoute route(EffectiveSpec spec, UnitPod pod) {
        Units units = spec.units();
        String id = Long.toString(pod.unitId());
        // One rule per distinct timeout, in first-seen order; Gateway API allows 16 rules and 128 matches.
        Map<String, List<HTTPRouteMatch>> matchesByTimeout = new LinkedHashMap<>();
        for (UnitMatch match : units.queryMatches()) {
            String timeout = match.timeout() != null ? match.timeout() : units.timeout();
            matchesByTimeout.computeIfAbsent(timeout, t -> new ArrayList<>()).add(new HTTPRouteMatchBuilder()
                    .withPath(new HTTPPathMatchBuilder().withType(match.type().name()).withValue(match.path()).build())
                    .withQueryParams(new HTTPQueryParamMatchBuilder().withType("Exact").withName(units.queryParameter())
                            .withValue(id).build())
                    .build());
        }
        for (String prefix : units.idPathPrefixes()) {
            matchesByTimeout.computeIfAbsent(units.timeout(), t -> new ArrayList<>()).add(new HTTPRouteMatchBuilder()
                    .withPath(new HTTPPathMatchBuilder().withType(UnitPathMatch.Type.PathPrefix.name())
                            .withValue(prefix + "/" + id).build())
                    .build());
        }
        List<HTTPRouteRule> rules = new ArrayList<>();
        matchesByTimeout.forEach((timeout, matches) -> rules.add(new HTTPRouteRuleBuilder().withMatches(matches)
                .withBackendRefs(new HTTPBackendRefBuilder().withName(Names.unit(spec.gateway(), pod.unitId()))
                        .withPort(units.port()).build())
                .withTimeouts(KubeObjects.requestTimeout(timeout)).build()));
        return new HTTPRouteBuilder().withMetadata(meta(spec, pod)).withNewSpec()
                .withParentRefs(KubeObjects.listeners(spec.gateway(), Listeners.texera(spec),
                        !units.namespace().equals(spec.gateway().namespace())))
                .withRules(rules).endSpec().build();
    }

    private static ObjectMeta meta(EffectiveSpec spec, UnitPod pod) {
        // Not the pod's controller, and never blocking its deletion: Texera's pod lifecycle stays Texera's.
        OwnerReference owner = new OwnerReferenceBuilder().withApiVersion("v1").withKind("Pod").withName(pod.name())
                .withUid(pod.uid()).withController(false).build();
        return KubeObjects.meta(spec.units().namespace(), Names.unit(spec.gateway(), pod.unitId()),
                Labels.unit(spec.gateway(), pod.unitId()), owner);
    }
}
