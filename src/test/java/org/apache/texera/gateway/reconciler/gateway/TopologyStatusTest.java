package org.apache.texera.gateway.reconciler.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.texera.gateway.api.v1alpha1.PendingObject;
import org.apache.texera.gateway.api.v1alpha1.TexeraGateway;
import org.apache.texera.gateway.envoygateway.BackendTrafficPolicy;
import org.apache.texera.gateway.envoygateway.ClientTrafficPolicy;
import org.apache.texera.gateway.envoygateway.EnvoyGatewayKinds;
import org.apache.texera.gateway.envoygateway.EnvoyGatewayKinds.PolicyAncestorStatus;
import org.apache.texera.gateway.envoygateway.EnvoyGatewayKinds.PolicyStatus;
import org.apache.texera.gateway.envoygateway.SecurityPolicy;
import org.apache.texera.gateway.kube.ObjectKey;
import org.apache.texera.gateway.model.GatewayModel;
import org.apache.texera.gateway.model.GatewayRef;
import org.apache.texera.gateway.model.Names;
import org.apache.texera.gateway.model.TestGateways;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatusAddressBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReferenceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatusBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** Envoy Gateway's answers, faked as the status it writes, turned into the TexeraGateway's conditions. */
class TopologyStatusTest {
    private static final String EG = EnvoyGatewayKinds.CONTROLLER_NAME;
    private static final String OTHER_CONTROLLER = "example.com/other-gateway-controller";
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final long GENERATION = 7;
    private static final String SPEC = """
            hostname: texera.example.com
            tls: {secretName: cert}
            """;

    private List<HasMetadata> desired;
    /** What the cluster holds; every test starts from a topology Envoy Gateway has fully accepted. */
    private Map<ObjectKey, HasMetadata> observed;

    @BeforeEach
    void everyObjectAcceptedAndProgrammed() {
        desired = desired(SPEC);
        observed = new HashMap<>();
        desired.forEach(object -> observed.put(ObjectKey.of(object), healthy(object)));
    }

    private static List<HasMetadata> desired(String spec) {
        TexeraGateway gateway = TestGateways.gateway(spec);
        return GatewayModel.desired(gateway, TestGateways.resolve(gateway)).objects();
    }

    private TopologyStatus.Result evaluate() {
        return TopologyStatus.evaluate(desired, observed, EG, GENERATION);
    }

    private static Condition condition(String type, String status, String reason, String message, long generation) {
        return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withObservedGeneration(generation).withLastTransitionTime("2026-03-01T10:00:00Z").build();
    }

    private static Condition isTrue(String type, long generation) {
        return condition(type, "True", type, "fine", generation);
    }

    private static RouteParentStatus parent(String controller, String section, Condition... conditions) {
        return new RouteParentStatusBuilder().withControllerName(controller)
                .withParentRef(new ParentReferenceBuilder().withName("texera").withSectionName(section).build())
                .withConditions(conditions).build();
    }

    private static PolicyStatus ancestors(String controller, Condition... conditions) {
        return new PolicyStatus(List.of(new PolicyAncestorStatus(new ParentReferenceBuilder().withName("texera").build(),
                controller, List.of(conditions))));
    }

    /** The object as Envoy Gateway leaves it when all is well; the unit policies have no unit to attach to yet. */
    private static HasMetadata healthy(HasMetadata object) {
        HasMetadata live = SERIALIZATION.clone(object);
        live.getMetadata().setGeneration(1L);
        if (live instanceof Gateway gateway) {
            gateway.setStatus(new GatewayStatusBuilder()
                    .withConditions(isTrue("Accepted", 1), isTrue("Programmed", 1))
                    .withAddresses(new GatewayStatusAddressBuilder().withType("IPAddress").withValue("203.0.113.10").build(),
                            new GatewayStatusAddressBuilder().withType("Hostname").withValue("lb.example.com").build())
                    .withListeners(gateway.getSpec().getListeners().stream().map(l -> new ListenerStatusBuilder()
                            .withName(l.getName()).withAttachedRoutes(1)
                            .withConditions(isTrue("Accepted", 1), isTrue("ResolvedRefs", 1), isTrue("Programmed", 1))
                            .build()).toList())
                    .build());
        } else if (live instanceof HTTPRoute route) {
            route.setStatus(new HTTPRouteStatusBuilder().withParents(route.getSpec().getParentRefs().stream()
                    .map(ref -> parent(EG, ref.getSectionName(), isTrue("Accepted", 1), isTrue("ResolvedRefs", 1))).toList())
                    .build());
        } else if (live instanceof ClientTrafficPolicy policy) {
            policy.setStatus(ancestors(EG, isTrue("Accepted", 1)));
        } else if (live instanceof BackendTrafficPolicy policy && policy.getSpec().targetRefs() != null) {
            policy.setStatus(ancestors(EG, isTrue("Accepted", 1)));
        }
        return live;
    }

    private <T extends HasMetadata> T live(Class<T> kind, String name) {
        return observed.values().stream().filter(kind::isInstance).map(kind::cast)
                .filter(object -> object.getMetadata().getName().equals(name)).findFirst().orElseThrow();
    }

    private Gateway liveGateway() {
        return live(Gateway.class, "texera");
    }

    private static Condition find(TopologyStatus.Result result, String type) {
        return Conditions.find(result.conditions(), type);
    }

    private long count(Class<?> kind) {
        return desired.stream().filter(kind::isInstance).count();
    }

    @Test
    void everythingAcceptedAndProgrammedIsReady() {
        TopologyStatus.Result result = evaluate();

        assertThat(result.pending()).isEmpty();
        assertThat(result.conditions()).extracting(Condition::getType).containsExactly(Conditions.READY,
                Conditions.GATEWAY_PROGRAMMED, Conditions.ROUTES_ACCEPTED, Conditions.POLICIES_ACCEPTED);
        assertThat(result.conditions()).allSatisfy(condition -> {
            assertThat(condition.getStatus()).isEqualTo("True");
            assertThat(condition.getObservedGeneration()).isEqualTo(GENERATION);
        });
        assertThat(find(result, Conditions.READY).getReason()).isEqualTo("Ready");
        assertThat(find(result, Conditions.GATEWAY_PROGRAMMED).getMessage())
                .isEqualTo("the Gateway is accepted and programmed at 203.0.113.10, lb.example.com");
        assertThat(find(result, Conditions.ROUTES_ACCEPTED).getMessage())
                .isEqualTo("all " + count(HTTPRoute.class) + " routes are accepted with resolved references");
        long policies = count(ClientTrafficPolicy.class) + count(BackendTrafficPolicy.class) + count(SecurityPolicy.class);
        assertThat(find(result, Conditions.POLICIES_ACCEPTED).getMessage()).isEqualTo("all " + policies + " policies are accepted");
    }

    @Test
    void theGatewaysAddressesAreCollected() {
        assertThat(evaluate().addresses()).containsExactly("203.0.113.10", "lb.example.com");
    }

    @Test
    void unitPoliciesWithNoAncestorsAreFineBecauseNoUnitIsRoutedYet() {
        String name = Names.unitPolicies(new GatewayRef(TestGateways.NAMESPACE, TestGateways.NAME));

        assertThat(live(SecurityPolicy.class, name).getStatus()).isNull();
        assertThat(live(BackendTrafficPolicy.class, name).getStatus()).isNull();
        assertThat(evaluate().pending()).isEmpty();
    }

    @Test
    void aUnitPolicyThatAnAncestorRefusesIsPending() {
        SecurityPolicy policy = live(SecurityPolicy.class, Names.unitPolicies(new GatewayRef("texera", "texera")));
        policy.setStatus(ancestors(EG, condition("Accepted", "False", "Invalid", "backendRef not permitted", 1)));

        assertThat(evaluate().pending()).containsExactly(new PendingObject("SecurityPolicy",
                "texera-workflow-computing-unit-pool", Names.unitPolicies(new GatewayRef("texera", "texera")), "Accepted=False (Invalid): backendRef not permitted"));
    }

    @Test
    void aTargetRefPolicyWithoutAncestorsIsPending() {
        live(ClientTrafficPolicy.class, "texera").setStatus(null);

        TopologyStatus.Result result = evaluate();

        String message = "no status from " + EG + " yet";
        assertThat(result.pending()).containsExactly(new PendingObject("ClientTrafficPolicy", "texera", "texera", message));
        assertThat(find(result, Conditions.POLICIES_ACCEPTED)).satisfies(condition -> {
            assertThat(condition.getStatus()).isEqualTo("False");
            assertThat(condition.getReason()).isEqualTo("NotAccepted");
            assertThat(condition.getMessage()).isEqualTo("ClientTrafficPolicy texera/texera: " + message);
        });
        assertThat(find(result, Conditions.READY)).satisfies(condition -> {
            assertThat(condition.getStatus()).isEqualTo("False");
            assertThat(condition.getReason()).isEqualTo("WaitingForEnvoyGateway");
            assertThat(condition.getMessage()).isEqualTo("1 object(s) not ready, first ClientTrafficPolicy texera/texera: " + message);
        });
        assertThat(find(result, Conditions.ROUTES_ACCEPTED).getStatus()).isEqualTo("True");
    }

    @Test
    void aPolicyAcceptedOnlyByAnotherControllerIsPending() {
        live(ClientTrafficPolicy.class, "texera").setStatus(ancestors(OTHER_CONTROLLER, isTrue("Accepted", 1)));

        assertThat(evaluate().pending()).extracting(PendingObject::message).containsExactly("no status from " + EG + " yet");
    }

    @Test
    void aGatewayStatusForAnOlderGenerationIsPendingWithBothGenerations() {
        liveGateway().getMetadata().setGeneration(3L);
        liveGateway().getStatus().setConditions(List.of(isTrue("Accepted", 2), isTrue("Programmed", 2)));

        TopologyStatus.Result result = evaluate();

        assertThat(result.pending()).containsExactly(new PendingObject("Gateway", "texera", "texera",
                "Accepted is reported for generation 2, not the current 3"));
        assertThat(find(result, Conditions.GATEWAY_PROGRAMMED).getStatus()).isEqualTo("False");
        assertThat(find(result, Conditions.GATEWAY_PROGRAMMED).getReason()).isEqualTo("NotProgrammed");
    }

    @Test
    void aRouteStatusForAnOlderGenerationIsPending() {
        HTTPRoute route = live(HTTPRoute.class, "texera-webserver");
        route.getMetadata().setGeneration(2L);

        assertThat(evaluate().pending()).containsExactly(new PendingObject("HTTPRoute", "texera", "texera-webserver",
                "Accepted is reported for generation 1, not the current 2 (listener https)"));
    }

    @Test
    void aPolicyStatusForAnOlderGenerationIsPending() {
        ClientTrafficPolicy policy = live(ClientTrafficPolicy.class, "texera");
        policy.getMetadata().setGeneration(2L);

        assertThat(evaluate().pending()).containsExactly(new PendingObject("ClientTrafficPolicy", "texera", "texera",
                "Accepted is reported for generation 1, not the current 2"));
    }

    @Test
    void programmedFalseIsQuotedWithItsReasonAndMessage() {
        liveGateway().getStatus().setConditions(List.of(isTrue("Accepted", 1),
                condition("Programmed", "False", "AddressNotAssigned", "No addresses have been assigned to the Gateway", 1)));

        TopologyStatus.Result result = evaluate();

        assertThat(find(result, Conditions.GATEWAY_PROGRAMMED).getMessage()).isEqualTo(
                "Gateway texera/texera: Programmed=False (AddressNotAssigned): No addresses have been assigned to the Gateway");
        assertThat(find(result, Conditions.READY).getMessage()).isEqualTo("1 object(s) not ready, refused by Envoy Gateway: "
                + "Gateway texera/texera: Programmed=False (AddressNotAssigned): No addresses have been assigned to the Gateway");
    }

    @Test
    void aListenerThatCannotServeKeepsReadyFalseWithAReasonToAct() {
        var https = new ListenerStatusBuilder().withName("http").withAttachedRoutes(0).withConditions(isTrue("Accepted", 1),
                condition("ResolvedRefs", "False", "InvalidCertificateRef", "Secret texera/texera-tls does not exist", 1),
                condition("Programmed", "False", "Invalid", "Listener is invalid, see other Conditions for details.", 1))
                .build();
        liveGateway().getStatus().setListeners(List.of(https));

        TopologyStatus.Result result = evaluate();

        assertThat(find(result, Conditions.GATEWAY_PROGRAMMED).getStatus()).isEqualTo("False");
        assertThat(find(result, Conditions.READY)).returns("False", Condition::getStatus)
                .returns(Conditions.REASON_REJECTED, Condition::getReason)
                .returns("1 object(s) not ready, refused by Envoy Gateway: Gateway texera/texera: listener http: "
                        + "ResolvedRefs=False (InvalidCertificateRef): Secret texera/texera-tls does not exist",
                        Condition::getMessage);
    }

    @Test
    void aListenerNotReportedYetIsWaitedFor() {
        liveGateway().getStatus().setListeners(List.of());

        TopologyStatus.Result result = evaluate();

        assertThat(result.pending()).extracting(PendingObject::message).containsExactly("listener http: not reported yet");
        assertThat(find(result, Conditions.READY).getReason()).isEqualTo(Conditions.REASON_WAITING);
    }

    @Test
    void aConditionNotReportedYetIsPending() {
        liveGateway().getStatus().setConditions(List.of(isTrue("Accepted", 1)));

        assertThat(evaluate().pending()).extracting(PendingObject::message).containsExactly("Programmed not reported yet");
    }

    @Test
    void unresolvedReferencesNameTheListener() {
        live(HTTPRoute.class, "texera-webserver").getStatus().setParents(List.of(parent(EG, "https", isTrue("Accepted", 1),
                condition("ResolvedRefs", "False", "BackendNotFound", "Service texera/webserver-svc not found", 1))));

        assertThat(evaluate().pending()).extracting(PendingObject::message).containsExactly(
                "ResolvedRefs=False (BackendNotFound): Service texera/webserver-svc not found (listener https)");
    }

    @Test
    void aRouteAcceptedOnOnlyOneOfItsListenersIsPending() {
        desired = desired("""
                hostname: texera.example.com
                tls: {secretName: cert, redirectHttp: false}
                """);
        observed.clear();
        desired.forEach(object -> observed.put(ObjectKey.of(object), healthy(object)));
        live(HTTPRoute.class, "texera-webserver").getStatus().setParents(List.of(
                parent(EG, "http", isTrue("Accepted", GENERATION), isTrue("ResolvedRefs", GENERATION))));

        assertThat(evaluate().pending()).extracting(PendingObject::message)
                .containsExactly("no status from " + EG + " yet (listener https)");
    }

    @Test
    void aRouteParentFromAnotherControllerIsIgnored() {
        HTTPRoute route = live(HTTPRoute.class, "texera-webserver");
        route.getStatus().setParents(List.of(parent(OTHER_CONTROLLER, "https", isTrue("Accepted", 1), isTrue("ResolvedRefs", 1))));

        assertThat(evaluate().pending()).containsExactly(
                new PendingObject("HTTPRoute", "texera", "texera-webserver", "no status from " + EG + " yet"));
    }

    @Test
    void anotherControllersRefusalDoesNotHideOurAcceptance() {
        HTTPRoute route = live(HTTPRoute.class, "texera-webserver");
        route.getStatus().setParents(List.of(
                parent(OTHER_CONTROLLER, "https", condition("Accepted", "False", "NotAllowedByListeners", "no", 1)),
                parent(EG, "https", isTrue("Accepted", 1), isTrue("ResolvedRefs", 1))));

        assertThat(evaluate().pending()).isEmpty();
    }

    @Test
    void objectsNotCreatedYetArePendingAndAMissingGrantHoldsTheGatewayBack() {
        observed.remove(ObjectKey.of(live(HTTPRoute.class, "texera-webserver")));
        observed.remove(new ObjectKey("ReferenceGrant", "texera", Names.authReferenceGrant(new GatewayRef("texera", "texera"))));

        TopologyStatus.Result result = evaluate();

        assertThat(result.pending()).containsExactly(
                new PendingObject("ReferenceGrant", "texera", Names.authReferenceGrant(new GatewayRef("texera", "texera")), "not created yet"),
                new PendingObject("HTTPRoute", "texera", "texera-webserver", "not created yet"));
        assertThat(find(result, Conditions.ROUTES_ACCEPTED).getStatus()).isEqualTo("False");
        assertThat(find(result, Conditions.GATEWAY_PROGRAMMED).getStatus()).isEqualTo("False");
    }

    @Test
    void moreProblemsThanOneAreCountedInTheCondition() {
        live(HTTPRoute.class, "texera-webserver").setStatus(null);
        live(HTTPRoute.class, "texera-config-service").setStatus(null);
        live(HTTPRoute.class, "texera-https-redirect").setStatus(null);

        assertThat(find(evaluate(), Conditions.ROUTES_ACCEPTED).getMessage())
                .isEqualTo("HTTPRoute texera/texera-config-service: no status from " + EG + " yet (and 2 more)");
    }

    @Test
    void pendingObjectsAreCappedAt20ButAllAreCounted() {
        String manyRoutes = IntStream.range(0, 15)
                .mapToObj(i -> "  - {name: extra-" + i + ", pathPrefixes: [/extra-" + i + "], backend: {service: s, port: 80}}")
                .collect(Collectors.joining("\n", SPEC + "routes:\n", "\n"));
        desired = desired(manyRoutes);
        observed.clear();

        TopologyStatus.Result result = evaluate();

        assertThat(desired).hasSizeGreaterThan(TopologyStatus.MAX_PENDING);
        assertThat(result.pending()).hasSize(TopologyStatus.MAX_PENDING);
        assertThat(find(result, Conditions.READY).getMessage()).startsWith(desired.size() + " object(s) not ready, first Gateway");
        assertThat(result.addresses()).isEmpty();
    }
}
