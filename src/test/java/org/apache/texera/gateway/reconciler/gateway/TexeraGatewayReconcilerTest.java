package org.apache.texera.gateway.reconciler.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.texera.gateway.api.v1alpha1.BackendSpec;
import org.apache.texera.gateway.api.v1alpha1.ComputingUnitsSpec;
import org.apache.texera.gateway.api.v1alpha1.RouteSpec;
import org.apache.texera.gateway.api.v1alpha1.TexeraGateway;
import org.apache.texera.gateway.api.v1alpha1.TexeraGatewaySpec;
import org.apache.texera.gateway.envoygateway.BackendTrafficPolicy;
import org.apache.texera.gateway.envoygateway.EnvoyGatewayKinds;
import org.apache.texera.gateway.envoygateway.SecurityPolicy;
import org.apache.texera.gateway.model.GatewayRef;
import org.apache.texera.gateway.model.Labels;
import org.apache.texera.gateway.model.Names;
import org.apache.texera.gateway.testing.SpecEdits;
import org.apache.texera.gateway.testing.UpstreamCrds;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatusAddressBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/**
 * The gateway reconciler against fabric8's mock API server (CRUD mode), with Envoy Gateway played by the test: it
 * writes the Gateway's and routes' status the way EG would.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TexeraGatewayReconcilerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String POOL = "texera-workflow-computing-unit-pool";

    @Inject
    KubernetesClient client;

    @Test
    @Order(1)
    void missingCrdsAreReportedThenTheTopologyFollowsOnceInstalled() {
        create("nocrds", "texera", new TexeraGatewaySpec());

        await().atMost(WAIT).untilAsserted(() -> assertThat(ready(get("nocrds", "texera")))
                .returns("False", Condition::getStatus)
                .returns(Conditions.REASON_CRDS_MISSING, Condition::getReason)
                .satisfies(c -> assertThat(c.getMessage()).contains("gateways.gateway.networking.k8s.io",
                        "securitypolicies.gateway.envoyproxy.io", "install Envoy Gateway")));
        assertThat(client.resources(Gateway.class).inNamespace("nocrds").list().getItems()).isEmpty();

        UpstreamCrds.install(client);

        await().atMost(WAIT).untilAsserted(() -> assertThat(client.resources(Gateway.class).inNamespace("nocrds")
                .withName("texera").get()).isNotNull());
    }

    @Test
    @Order(2)
    void minimalSpecBecomesTheStandardTopology() {
        UpstreamCrds.install(client);
        create("release-a", "texera", spec("texera.example.com"));

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(client.resources(Gateway.class).inNamespace("release-a").withName("texera").get()).isNotNull();
            assertThat(client.resources(HTTPRoute.class).inNamespace("release-a").list().getItems())
                    .extracting(r -> r.getMetadata().getName())
                    .contains("texera-webserver", "texera-compiling-service", "texera-agent-service", "texera-y-websocket");
            assertThat(client.resources(SecurityPolicy.class).inNamespace(POOL).withName(Names.unitPolicies(new GatewayRef("release-a", "texera"))).get())
                    .isNotNull();
            assertThat(client.resources(BackendTrafficPolicy.class).inNamespace(POOL).withName(Names.unitPolicies(new GatewayRef("release-a", "texera")))
                    .get()).isNotNull();
            assertThat(client.resources(ReferenceGrant.class).inNamespace("release-a")
                    .withName(Names.authReferenceGrant(new GatewayRef("release-a", "texera"))).get()).isNotNull();
        });
        Gateway gateway = client.resources(Gateway.class).inNamespace("release-a").withName("texera").get();
        assertThat(gateway.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(owner -> assertThat(owner.getKind()).isEqualTo("TexeraGateway"));
        assertThat(gateway.getMetadata().getLabels()).containsEntry(Labels.MANAGED_BY, Labels.OPERATOR);

        TexeraGateway resource = get("release-a", "texera");
        assertThat(ready(resource).getStatus()).isEqualTo("False");
        assertThat(ready(resource).getReason()).isEqualTo("WaitingForEnvoyGateway");
        assertThat(resource.getStatus().getPending()).isNotEmpty();
    }

    @Test
    @Order(3)
    void statusFollowsWhatEnvoyGatewayReports() {
        UpstreamCrds.install(client);
        create("release-b", "texera", spec("texera.example.com"));
        await().atMost(WAIT).until(() -> client.resources(HTTPRoute.class).inNamespace("release-b")
                .withName("texera-webserver").get() != null);

        playEnvoyGateway("release-b", "texera", "True");
        assertThat(client.resources(Gateway.class).inNamespace("release-b").withName("texera").get().getStatus()).isNotNull();

        await().atMost(WAIT).untilAsserted(() -> {
            TexeraGateway resource = get("release-b", "texera");
            assertThat(ready(resource)).as(() -> ready(resource).getMessage()).returns("True", Condition::getStatus).returns("Ready", Condition::getReason);
            assertThat(resource.getStatus().getAddresses()).containsExactly("203.0.113.7");
            assertThat(resource.getStatus().getPending()).isEmpty();
            assertThat(resource.getStatus().getObservedGeneration()).isEqualTo(resource.getMetadata().getGeneration());
        });
        String programmedSince = Conditions.find(get("release-b", "texera").getStatus().getConditions(),
                Conditions.GATEWAY_PROGRAMMED).getLastTransitionTime();

        // Envoy Gateway now rejects one route: Ready flips, and the reason names the route and quotes EG.
        HTTPRoute route = client.resources(HTTPRoute.class).inNamespace("release-b").withName("texera-webserver").get();
        route.setStatus(new HTTPRouteStatusBuilder().withParents(new RouteParentStatusBuilder()
                .withControllerName(EnvoyGatewayKinds.CONTROLLER_NAME)
                .withNewParentRef().withName("texera").endParentRef()
                .withConditions(condition("Accepted", "True", "Accepted", ""),
                        condition("ResolvedRefs", "False", "BackendNotFound", "service release-b/webserver-svc not found"))
                .build()).build());
        client.resource(route).updateStatus();

        await().atMost(WAIT).untilAsserted(() -> {
            TexeraGateway resource = get("release-b", "texera");
            assertThat(ready(resource).getStatus()).isEqualTo("False");
            Condition routes = Conditions.find(resource.getStatus().getConditions(), Conditions.ROUTES_ACCEPTED);
            assertThat(routes.getStatus()).isEqualTo("False");
            assertThat(routes.getMessage()).contains("HTTPRoute release-b/texera-webserver",
                    "ResolvedRefs=False (BackendNotFound): service release-b/webserver-svc not found");
            assertThat(resource.getStatus().getPending()).singleElement()
                    .satisfies(p -> assertThat(p.name()).isEqualTo("texera-webserver"));
            // The Gateway's own condition did not flip, so its transition time stays.
            Condition programmed = Conditions.find(resource.getStatus().getConditions(), Conditions.GATEWAY_PROGRAMMED);
            assertThat(programmed.getStatus()).isEqualTo("True");
            assertThat(programmed.getLastTransitionTime()).isEqualTo(programmedSince);
        });
    }

    @Test
    @Order(4)
    void anInvalidUpdateIsReportedAndTheLastGoodTopologyStays() {
        UpstreamCrds.install(client);
        create("release-c", "texera", spec("texera.example.com"));
        await().atMost(WAIT).until(() -> client.resources(HTTPRoute.class).inNamespace("release-c")
                .withName("texera-webserver").get() != null);
        String gatewayVersion = client.resources(Gateway.class).inNamespace("release-c").withName("texera").get()
                .getMetadata().getResourceVersion();

        RouteSpec broken = new RouteSpec();
        broken.setName("grafana");
        broken.setPathPrefixes(List.of("/grafana"));
        // A patch, not a read-then-update: the operator writes the status (unit counts) concurrently.
        SpecEdits.edit(client, "release-c", "texera", resource -> {
            resource.getSpec().setRoutes(List.of(broken));
            return resource;
        });

        await().atMost(WAIT).untilAsserted(() -> assertThat(ready(get("release-c", "texera")))
                .returns("False", Condition::getStatus)
                .returns(Conditions.REASON_INVALID_SPEC, Condition::getReason)
                .returns("route 'grafana' is not a standard route, so it needs pathPrefixes and backend",
                        Condition::getMessage));
        assertThat(client.resources(HTTPRoute.class).inNamespace("release-c").withName("texera-grafana").get()).isNull();
        assertThat(client.resources(Gateway.class).inNamespace("release-c").withName("texera").get().getMetadata()
                .getResourceVersion()).isEqualTo(gatewayVersion);

        // Fixing the spec rolls the new route out.
        broken.setBackend(new BackendSpec("grafana", null, 3000));
        SpecEdits.edit(client, "release-c", "texera", resource -> {
            resource.getSpec().setRoutes(List.of(broken));
            return resource;
        });
        await().atMost(WAIT).until(() -> client.resources(HTTPRoute.class).inNamespace("release-c")
                .withName("texera-grafana").get() != null);
    }

    @Test
    @Order(5)
    void editsAndDeletionsByHandArePutBack() {
        UpstreamCrds.install(client);
        create("release-d", "texera", spec("texera.example.com"));
        await().atMost(WAIT).until(() -> client.resources(HTTPRoute.class).inNamespace("release-d")
                .withName("texera-compiling-service").get() != null);

        HTTPRoute edited = client.resources(HTTPRoute.class).inNamespace("release-d").withName("texera-compiling-service")
                .get();
        edited.getSpec().getRules().get(0).getBackendRefs().get(0).setPort(1);
        client.resource(edited).update();
        await().atMost(WAIT).untilAsserted(() -> assertThat(client.resources(HTTPRoute.class).inNamespace("release-d")
                .withName("texera-compiling-service").get().getSpec().getRules().get(0).getBackendRefs().get(0).getPort())
                .isEqualTo(9090));

        client.resources(SecurityPolicy.class).inNamespace(POOL).withName(Names.unitPolicies(new GatewayRef("release-d", "texera"))).delete();
        await().atMost(WAIT).until(() -> client.resources(SecurityPolicy.class).inNamespace(POOL)
                .withName(Names.unitPolicies(new GatewayRef("release-d", "texera"))).get() != null);
    }

    @Test
    @Order(6)
    void removingARouteFromTheSpecDeletesItsObjects() {
        UpstreamCrds.install(client);
        create("release-e", "texera", spec("texera.example.com"));
        await().atMost(WAIT).until(() -> client.resources(BackendTrafficPolicy.class).inNamespace("release-e")
                .withName("texera-agent-service").get() != null);

        RouteSpec off = new RouteSpec();
        off.setName("agent-service");
        off.setEnabled(false);
        SpecEdits.edit(client, "release-e", "texera", resource -> {
            resource.getSpec().setRoutes(List.of(off));
            return resource;
        });

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(client.resources(HTTPRoute.class).inNamespace("release-e").withName("texera-agent-service").get())
                    .isNull();
            assertThat(client.resources(BackendTrafficPolicy.class).inNamespace("release-e")
                    .withName("texera-agent-service").get()).isNull();
        });
        assertThat(client.resources(HTTPRoute.class).inNamespace("release-e").withName("texera-webserver").get())
                .isNotNull();
    }

    @Test
    @Order(7)
    void twoGatewaysWithTheSameNameShareAPoolWithoutColliding() {
        UpstreamCrds.install(client);
        create("release-f", "texera", spec(null));
        create("release-g", "texera", spec(null));

        await().atMost(WAIT).untilAsserted(() -> assertThat(client.resources(SecurityPolicy.class).inNamespace(POOL).list()
                .getItems()).extracting(p -> p.getMetadata().getName())
                .contains(Names.unitPolicies(new GatewayRef("release-f", "texera")), Names.unitPolicies(new GatewayRef("release-g", "texera"))));
        SecurityPolicy f = client.resources(SecurityPolicy.class).inNamespace(POOL).withName(Names.unitPolicies(new GatewayRef("release-f", "texera"))).get();
        assertThat(f.getSpec().targetSelectors().get(0).matchLabels())
                .containsEntry(Labels.GATEWAY_NAMESPACE, "release-f").containsEntry(Labels.GATEWAY, "texera");
    }

    @Test
    @Order(8)
    void deletionRemovesWhatTheGatewayCannotOwnAndNothingElse() {
        UpstreamCrds.install(client);
        TexeraGatewaySpec spec = spec("texera.example.com");
        ComputingUnitsSpec units = new ComputingUnitsSpec();
        units.setNamespace("pool-h");
        spec.setComputingUnits(units);
        create("release-h", "texera", spec);
        await().atMost(WAIT).until(() -> client.resources(SecurityPolicy.class).inNamespace("pool-h")
                .withName(Names.unitPolicies(new GatewayRef("release-h", "texera"))).get() != null);
        // Someone else's route in the pool (say cert-manager's ACME solver): not ours to delete.
        HTTPRoute foreign = new HTTPRoute();
        foreign.setMetadata(new ObjectMetaBuilder().withNamespace("pool-h").withName("cm-acme-http-solver")
                .withLabels(Map.of("acme.cert-manager.io/http01-solver", "true")).build());
        client.resource(foreign).create();

        client.resource(get("release-h", "texera")).delete();

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(client.resources(SecurityPolicy.class).inNamespace("pool-h").list().getItems()).isEmpty();
            assertThat(client.resources(BackendTrafficPolicy.class).inNamespace("pool-h").list().getItems()).isEmpty();
            assertThat(get("release-h", "texera")).isNull();
        });
        assertThat(client.resources(HTTPRoute.class).inNamespace("pool-h").withName("cm-acme-http-solver").get())
                .isNotNull();
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    private static TexeraGatewaySpec spec(String hostname) {
        TexeraGatewaySpec spec = new TexeraGatewaySpec();
        spec.setHostname(hostname);
        return spec;
    }

    private TexeraGateway create(String namespace, String name, TexeraGatewaySpec spec) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                .createOr(existing -> existing.update());
        TexeraGateway gateway = new TexeraGateway();
        gateway.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
        gateway.setSpec(spec);
        return client.resource(gateway).create();
    }

    private TexeraGateway get(String namespace, String name) {
        return client.resources(TexeraGateway.class).inNamespace(namespace).withName(name).get();
    }

    private static Condition ready(TexeraGateway resource) {
        assertThat(resource.getStatus()).isNotNull();
        return Conditions.find(resource.getStatus().getConditions(), Conditions.READY);
    }

    private static Condition condition(String type, String status, String reason, String message) {
        return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message).build();
    }

    /** Writes the status Envoy Gateway would: every route and policy of the gateway accepted, the Gateway programmed. */
    private void playEnvoyGateway(String namespace, String name, String status) {
        Gateway gateway = client.resources(Gateway.class).inNamespace(namespace).withName(name).get();
        gateway.setStatus(new GatewayStatusBuilder()
                .withAddresses(new GatewayStatusAddressBuilder().withType("IPAddress").withValue("203.0.113.7").build())
                .withConditions(condition("Accepted", status, "Accepted", ""), condition("Programmed", status, "Programmed", ""))
                .build());
        client.resource(gateway).updateStatus();
        String selector = Labels.GATEWAY + "=" + name + "," + Labels.GATEWAY_NAMESPACE + "=" + namespace;
        for (HTTPRoute route : client.resources(HTTPRoute.class).inAnyNamespace().withLabelSelector(selector).list()
                .getItems()) {
            route.setStatus(new HTTPRouteStatusBuilder().withParents(new RouteParentStatusBuilder()
                    .withControllerName(EnvoyGatewayKinds.CONTROLLER_NAME)
                    .withNewParentRef().withName(name).endParentRef()
                    .withConditions(condition("Accepted", status, "Accepted", ""),
                            condition("ResolvedRefs", status, "ResolvedRefs", ""))
                    .build()).build());
            client.resource(route).updateStatus();
        }
        PolicyStatuses.accept(client, selector, namespace, name);
    }
}
