package org.apache.texera.gateway.apiserver;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.apache.texera.gateway.envoygateway.BackendTrafficPolicy;
import org.apache.texera.gateway.envoygateway.ClientTrafficPolicy;
import org.apache.texera.gateway.envoygateway.EnvoyGatewayKinds;
import org.apache.texera.gateway.envoygateway.EnvoyGatewayKinds.PolicyAncestorStatus;
import org.apache.texera.gateway.envoygateway.EnvoyGatewayKinds.PolicyStatus;
import org.apache.texera.gateway.envoygateway.SecurityPolicy;
import org.apache.texera.gateway.model.Labels;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatusAddressBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteGroupKindBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReferenceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatusBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * A small fake of Envoy Gateway's controller for the real API server: it writes the status EG would (on the status
 * subresource, with observedGeneration and lastTransitionTime, which the real CRDs require), so the TexeraGateway's
 * conditions can be seen to follow it.
 */
public final class EnvoyGatewayStandIn {
    public static final String ADDRESS = "203.0.113.7";
    private final KubernetesClient client;

    public EnvoyGatewayStandIn(KubernetesClient client) {
        this.client = client;
    }

    /** Every object of one TexeraGateway accepted (status True) or not (False), the Gateway programmed or not. */
    public void programAll(String namespace, String name, boolean accepted) {
        programGateway(namespace, name, accepted);
        String status = accepted ? "True" : "False";
        String reason = accepted ? null : "Invalid";
        String selector = selector(namespace, name);
        for (HTTPRoute route : client.resources(HTTPRoute.class).inAnyNamespace().withLabelSelector(selector).list()
                .getItems()) {
            routeStatus(route, name, namespace, condition("Accepted", status, reason == null ? "Accepted" : reason, "",
                    route.getMetadata().getGeneration()),
                    condition("ResolvedRefs", status, reason == null ? "ResolvedRefs" : reason, "",
                            route.getMetadata().getGeneration()));
        }
        programPolicies(namespace, name, accepted);
    }

    /** The Gateway and every listener it has Accepted, ResolvedRefs and Programmed (True), or not (False). */
    public void programGateway(String namespace, String name, boolean accepted) {
        String status = accepted ? "True" : "False";
        String reason = accepted ? null : "Invalid";
        Gateway gateway = client.resources(Gateway.class).inNamespace(namespace).withName(name).get();
        long generation = gateway.getMetadata().getGeneration();
        gateway.setStatus(new GatewayStatusBuilder()
                .withAddresses(new GatewayStatusAddressBuilder().withType("IPAddress").withValue(ADDRESS).build())
                .withConditions(condition("Accepted", status, reason == null ? "Accepted" : reason, "", generation),
                        condition("Programmed", status, reason == null ? "Programmed" : reason, "", generation))
                .withListeners(gateway.getSpec().getListeners().stream().map(listener -> new ListenerStatusBuilder()
                        .withName(listener.getName()).withAttachedRoutes(0)
                        .withSupportedKinds(new RouteGroupKindBuilder().withGroup("gateway.networking.k8s.io")
                                .withKind("HTTPRoute").build())
                        .withConditions(condition("Accepted", status, reason == null ? "Accepted" : reason, "", generation),
                                condition("ResolvedRefs", status, reason == null ? "ResolvedRefs" : reason, "", generation),
                                condition("Programmed", status, reason == null ? "Programmed" : reason, "", generation))
                        .build()).toList())
                .build());
        client.resource(gateway).updateStatus();
    }

    private static String selector(String namespace, String name) {
        return Labels.GATEWAY + "=" + name + "," + Labels.GATEWAY_NAMESPACE + "=" + namespace;
    }

    /** Every policy of one TexeraGateway accepted by its Gateway ancestor (status True) or not (False). */
    public void programPolicies(String namespace, String name, boolean accepted) {
        String status = accepted ? "True" : "False";
        String reason = accepted ? null : "Invalid";
        String selector = selector(namespace, name);
        for (Class<? extends CustomResource<?, PolicyStatus>> kind : List.of(ClientTrafficPolicy.class,
                BackendTrafficPolicy.class, SecurityPolicy.class)) {
            for (CustomResource<?, PolicyStatus> policy : client.resources(kind).inAnyNamespace()
                    .withLabelSelector(selector).list().getItems()) {
                policy.setStatus(new PolicyStatus(List.of(new PolicyAncestorStatus(
                        new ParentReferenceBuilder().withGroup("gateway.networking.k8s.io").withKind("Gateway")
                                .withNamespace(namespace).withName(name).build(),
                        EnvoyGatewayKinds.CONTROLLER_NAME,
                        List.of(condition("Accepted", status, reason == null ? "Accepted" : reason,
                                "Policy has been accepted.", policy.getMetadata().getGeneration()))))));
                client.resource(policy).updateStatus();
            }
        }
    }

    /** EG cannot serve one listener, as when its certificate Secret is missing: the Gateway itself stays Programmed. */
    public void breakListener(String namespace, String name, String listener, String reason, String message) {
        Gateway gateway = client.resources(Gateway.class).inNamespace(namespace).withName(name).get();
        long generation = gateway.getMetadata().getGeneration();
        gateway.getStatus().getListeners().stream().filter(l -> listener.equals(l.getName())).forEach(l -> l.setConditions(
                List.of(condition("Accepted", "True", "Accepted", "", generation),
                        condition("ResolvedRefs", "False", reason, message, generation),
                        condition("Programmed", "False", "Invalid", "Listener is invalid, see other Conditions for details.",
                                generation))));
        client.resource(gateway).updateStatus();
    }

    /** EG rejects one route's backend, as it does when the Service is missing. */
    public void rejectBackend(String namespace, String routeName, String gatewayNamespace, String gatewayName, String message) {
        HTTPRoute route = client.resources(HTTPRoute.class).inNamespace(namespace).withName(routeName).get();
        long generation = route.getMetadata().getGeneration();
        routeStatus(route, gatewayName, gatewayNamespace, condition("Accepted", "True", "Accepted", "", generation),
                condition("ResolvedRefs", "False", "BackendNotFound", message, generation));
    }

    private void routeStatus(HTTPRoute route, String gatewayName, String gatewayNamespace, Condition... conditions) {
        route.setStatus(new HTTPRouteStatusBuilder().withParents(new RouteParentStatusBuilder()
                .withControllerName(EnvoyGatewayKinds.CONTROLLER_NAME)
                .withParentRef(new ParentReferenceBuilder().withGroup("gateway.networking.k8s.io").withKind("Gateway")
                        .withNamespace(gatewayNamespace).withName(gatewayName).build())
                .withConditions(conditions).build()).build());
        client.resource((HasMetadata) route).updateStatus();
    }

    private static Condition condition(String type, String status, String reason, String message, Long generation) {
        return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withObservedGeneration(generation)
                .withLastTransitionTime(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()).build();
    }
}
