package org.apache.texera.gateway.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.texera.gateway.api.v1alpha1.BackendSpec;
import org.apache.texera.gateway.api.v1alpha1.ComputingUnitsSpec;
import org.apache.texera.gateway.api.v1alpha1.RouteSpec;
import org.apache.texera.gateway.api.v1alpha1.TexeraGateway;
import org.apache.texera.gateway.api.v1alpha1.TexeraGatewaySpec;
import org.apache.texera.gateway.config.LeaderElection;
import org.apache.texera.gateway.envoygateway.BackendTrafficPolicy;
import org.apache.texera.gateway.envoygateway.SecurityPolicy;
import org.apache.texera.gateway.model.GatewayRef;
import org.apache.texera.gateway.model.Labels;
import org.apache.texera.gateway.model.Names;
import org.apache.texera.gateway.reconciler.gateway.Conditions;
import org.apache.texera.gateway.testing.SpecEdits;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * A TexeraGateway's whole life on a real API server, the operator running as its ServiceAccount with the shipped
 * RBAC and leader election on: created, programmed by (a stand-in for) Envoy Gateway, changed, broken and fixed,
 * edited by hand, and deleted with the garbage collector running.
 */
@QuarkusTest
@TestProfile(RealApiServerProfile.class)
class TexeraGatewayLifecycleApiServerTest extends OperatorOnApiServer {

    @Test
    void theOperatorLeadsUnderItsOwnRbac() {
        await().atMost(WAIT).untilAsserted(() -> {
            Lease lease = admin.leases().inNamespace(ApiServerKit.OPERATOR_NAMESPACE).withName(LeaderElection.LEASE_NAME).get();
            assertThat(lease).as("the leader Lease").isNotNull();
            assertThat(lease.getSpec().getHolderIdentity()).isNotBlank();
            assertThat(lease.getSpec().getRenewTime()).isNotNull();
        });
    }

    @Test
    void everyObjectIsCreatedAndTheStatusFollowsEnvoyGateway() {
        GatewayRef ref = new GatewayRef("life-a", "texera");
        TexeraGatewaySpec spec = spec("texera.example.com");
        spec.setComputingUnits(units("life-a-pool"));
        kit.admit("life-a-pool", "life-a");
        create("life-a", "texera", spec);

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(admin.resources(Gateway.class).inNamespace("life-a").withName("texera").get()).isNotNull();
            assertThat(admin.resources(HTTPRoute.class).inNamespace("life-a").list().getItems()).hasSize(9);
            // Read back with server-filled defaults (consistentHash.tableSize): our types must not choke on them.
            assertThat(admin.resources(BackendTrafficPolicy.class).inNamespace("life-a").list().getItems())
                    .extracting(p -> p.getMetadata().getName())
                    .containsExactlyInAnyOrder("texera-agent-service", "texera-y-websocket");
            assertThat(admin.resources(SecurityPolicy.class).inNamespace("life-a-pool").withName(Names.unitPolicies(ref)).get())
                    .isNotNull();
            assertThat(admin.resources(BackendTrafficPolicy.class).inNamespace("life-a-pool").withName(Names.unitPolicies(ref))
                    .get()).isNotNull();
            assertThat(admin.resources(ReferenceGrant.class).inNamespace("life-a").withName(Names.authReferenceGrant(ref)).get())
                    .isNotNull();
            Condition ready = ready(get("life-a", "texera"));
            assertThat(ready.getStatus()).isEqualTo("False");
            assertThat(ready.getReason()).isEqualTo("WaitingForEnvoyGateway");
        });

        new EnvoyGatewayStandIn(admin).programAll("life-a", "texera", true);
        await().atMost(WAIT).untilAsserted(() -> {
            var resource = get("life-a", "texera");
            assertThat(ready(resource)).as(() -> ready(resource).getMessage()).returns("True", Condition::getStatus);
            assertThat(resource.getStatus().getAddresses()).containsExactly(EnvoyGatewayStandIn.ADDRESS);
            assertThat(resource.getStatus().getObservedGeneration()).isEqualTo(resource.getMetadata().getGeneration());
        });
        String programmedSince = Conditions.find(get("life-a", "texera").getStatus().getConditions(),
                Conditions.GATEWAY_PROGRAMMED).getLastTransitionTime();

        new EnvoyGatewayStandIn(admin).rejectBackend("life-a", "texera-webserver", "life-a", "texera",
                "Service life-a/webserver-svc not found");
        await().atMost(WAIT).untilAsserted(() -> {
            var resource = get("life-a", "texera");
            assertThat(ready(resource).getStatus()).isEqualTo("False");
            assertThat(ready(resource).getReason()).isEqualTo(Conditions.REASON_REJECTED);
            Condition routes = Conditions.find(resource.getStatus().getConditions(), Conditions.ROUTES_ACCEPTED);
            assertThat(routes.getMessage()).contains("HTTPRoute life-a/texera-webserver",
                    "ResolvedRefs=False (BackendNotFound): Service life-a/webserver-svc not found");
            assertThat(Conditions.find(resource.getStatus().getConditions(), Conditions.GATEWAY_PROGRAMMED)
                    .getLastTransitionTime()).isEqualTo(programmedSince);
        });

        // A listener that cannot serve (its certificate missing) while the Gateway itself stays Programmed: not Ready.
        new EnvoyGatewayStandIn(admin).programAll("life-a", "texera", true);
        await().atMost(WAIT).untilAsserted(() -> assertThat(ready(get("life-a", "texera")).getStatus()).isEqualTo("True"));
        new EnvoyGatewayStandIn(admin).breakListener("life-a", "texera", "http", "InvalidCertificateRef",
                "Secret life-a/texera-tls does not exist");
        await().atMost(WAIT).untilAsserted(() -> assertThat(ready(get("life-a", "texera")))
                .returns("False", Condition::getStatus).returns(Conditions.REASON_REJECTED, Condition::getReason)
                .satisfies(c -> assertThat(c.getMessage()).contains("listener http: ResolvedRefs=False "
                        + "(InvalidCertificateRef): Secret life-a/texera-tls does not exist")));

        // kubectl shows the printer columns in the order people read them, with their values; REASON with -o wide.
        String table = kit.kubectl("get", "tgw", "-n", "life-a");
        assertThat(table.lines().findFirst().orElseThrow().split("\\s+"))
                .containsExactly("NAME", "READY", "UNITS", "ADDRESS", "AGE");
        String[] row = table.lines().skip(1).findFirst().orElseThrow().split("\\s+");
        assertThat(row[0]).isEqualTo("texera");
        assertThat(row[1]).isEqualTo("False");
        assertThat(row[3]).isEqualTo(EnvoyGatewayStandIn.ADDRESS);
        String wide = kit.kubectl("get", "tgw", "-n", "life-a", "-o", "wide");
        assertThat(wide.lines().findFirst().orElseThrow().split("\\s+"))
                .containsExactly("NAME", "READY", "REASON", "UNITS", "ADDRESS", "AGE");
        assertThat(wide.lines().skip(1).findFirst().orElseThrow().split("\\s+"))
                .startsWith("texera", "False", Conditions.REASON_REJECTED);
    }

    /**
     * A spec change rewrites a route, and the route's new generation has no status from Envoy Gateway yet: the
     * TexeraGateway must say so for the new spec, never Ready (every status it writes is recorded by a watch).
     */
    @Test
    void aChangedRouteIsNotReadyUntilEnvoyGatewayAcceptsItsNewGeneration() {
        TexeraGatewaySpec spec = spec("texera.example.com");
        spec.setComputingUnits(units("life-g-pool"));
        kit.admit("life-g-pool", "life-g");
        create("life-g", "texera", spec);
        EnvoyGatewayStandIn envoyGateway = new EnvoyGatewayStandIn(admin);
        await().atMost(WAIT).until(() -> admin.resources(HTTPRoute.class).inNamespace("life-g").list().getItems().size() == 9);
        envoyGateway.programAll("life-g", "texera", true);
        await().atMost(WAIT).untilAsserted(() -> assertThat(ready(get("life-g", "texera")))
                .returns("True", Condition::getStatus).returns(1L, Condition::getObservedGeneration));

        List<TexeraGateway> written = new CopyOnWriteArrayList<>();
        try (Watch watch = admin.resources(TexeraGateway.class).inNamespace("life-g").withName("texera")
                .watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, TexeraGateway resource) {
                        written.add(resource);
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                    }
                })) {
            RouteSpec longer = new RouteSpec();
            longer.setName("access-control");
            longer.setTimeout("900s");
            SpecEdits.edit(admin, "life-g", "texera", r -> {
                r.getSpec().setRoutes(List.of(longer));
                return r;
            });
            await().atMost(WAIT).untilAsserted(() -> assertThat(ready(get("life-g", "texera")))
                    .returns(2L, Condition::getObservedGeneration).returns("False", Condition::getStatus)
                    .satisfies(c -> assertThat(c.getMessage()).contains("HTTPRoute life-g/texera-access-control",
                            "Accepted is reported for generation 1, not the current 2")));
            assertThat(written).extracting(r -> r.getStatus() == null ? null
                    : Conditions.find(r.getStatus().getConditions(), Conditions.READY))
                    .filteredOn(c -> c != null && Long.valueOf(2).equals(c.getObservedGeneration()))
                    .as("every status written for the changed spec").isNotEmpty()
                    .allSatisfy(c -> assertThat(c.getStatus()).isEqualTo("False"));

            envoyGateway.programAll("life-g", "texera", true);
            await().atMost(WAIT).untilAsserted(() -> assertThat(ready(get("life-g", "texera")))
                    .returns("True", Condition::getStatus).returns(2L, Condition::getObservedGeneration));
        }
    }

    @Test
    void specChangesRouteOffAndBadSpecsKeepTheLastGoodTopology() {
        create("life-b", "texera", spec("texera.example.com"));
        await().atMost(WAIT).until(() -> admin.resources(BackendTrafficPolicy.class).inNamespace("life-b")
                .withName("texera-agent-service").get() != null);

        RouteSpec longer = new RouteSpec();
        longer.setName("access-control");
        longer.setTimeout("900s");
        SpecEdits.edit(admin, "life-b", "texera", r -> {
            r.getSpec().setRoutes(List.of(longer));
            return r;
        });
        await().atMost(WAIT).untilAsserted(() -> assertThat(admin.resources(HTTPRoute.class).inNamespace("life-b")
                .withName("texera-access-control").get().getSpec().getRules().get(0).getTimeouts().getRequest())
                .isEqualTo("900s"));

        RouteSpec off = new RouteSpec();
        off.setName("agent-service");
        off.setEnabled(false);
        SpecEdits.edit(admin, "life-b", "texera", r -> {
            r.getSpec().setRoutes(List.of(longer, off));
            return r;
        });
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(admin.resources(HTTPRoute.class).inNamespace("life-b").withName("texera-agent-service").get()).isNull();
            assertThat(admin.resources(BackendTrafficPolicy.class).inNamespace("life-b").withName("texera-agent-service")
                    .get()).isNull();
        });

        String gatewayVersion = admin.resources(Gateway.class).inNamespace("life-b").withName("texera").get().getMetadata()
                .getResourceVersion();
        RouteSpec broken = new RouteSpec();
        broken.setName("grafana");
        broken.setPathPrefixes(List.of("/grafana"));
        SpecEdits.edit(admin, "life-b", "texera", r -> {
            r.getSpec().setRoutes(List.of(longer, off, broken));
            return r;
        });
        await().atMost(WAIT).untilAsserted(() -> assertThat(ready(get("life-b", "texera")))
                .returns(Conditions.REASON_INVALID_SPEC, Condition::getReason)
                .returns("route 'grafana' is not a standard route, so it needs pathPrefixes and backend", Condition::getMessage));
        assertThat(admin.resources(HTTPRoute.class).inNamespace("life-b").withName("texera-access-control").get())
                .isNotNull();
        assertThat(admin.resources(Gateway.class).inNamespace("life-b").withName("texera").get().getMetadata()
                .getResourceVersion()).isEqualTo(gatewayVersion);

        broken.setBackend(new BackendSpec("grafana", null, 3000));
        SpecEdits.edit(admin, "life-b", "texera", r -> {
            r.getSpec().setRoutes(List.of(longer, off, broken));
            return r;
        });
        await().atMost(WAIT).until(() -> admin.resources(HTTPRoute.class).inNamespace("life-b").withName("texera-grafana")
                .get() != null);
    }

    @Test
    void handEditsAreRevertedAndOthersObjectsAreNeverTouched() {
        create("life-c", "texera", spec("texera.example.com"));
        await().atMost(WAIT).until(() -> admin.resources(HTTPRoute.class).inNamespace("life-c")
                .withName("texera-compiling-service").get() != null);
        // Someone else's route with a name like ours, in the same namespace.
        HTTPRoute foreign = admin.resource(new HTTPRouteBuilder().withMetadata(new ObjectMetaBuilder()
                .withNamespace("life-c").withName("texera-compiling-service-canary").withLabels(Map.of("team", "ml")).build())
                .withNewSpec().addNewParentRef().withName("texera").endParentRef().endSpec().build()).create();

        admin.resources(HTTPRoute.class).inNamespace("life-c").withName("texera-compiling-service").edit(route -> {
            route.getSpec().getRules().get(0).getBackendRefs().get(0).setPort(1);
            return route;
        });
        await().atMost(WAIT).untilAsserted(() -> assertThat(admin.resources(HTTPRoute.class).inNamespace("life-c")
                .withName("texera-compiling-service").get().getSpec().getRules().get(0).getBackendRefs().get(0).getPort())
                .isEqualTo(9090));

        admin.resources(HTTPRoute.class).inNamespace("life-c").withName("texera-compiling-service").delete();
        await().atMost(WAIT).until(() -> {
            HTTPRoute back = admin.resources(HTTPRoute.class).inNamespace("life-c").withName("texera-compiling-service").get();
            return back != null && back.getMetadata().getDeletionTimestamp() == null;
        });
        HTTPRoute after = admin.resources(HTTPRoute.class).inNamespace("life-c").withName("texera-compiling-service-canary")
                .get();
        assertThat(after.getMetadata().getResourceVersion()).isEqualTo(foreign.getMetadata().getResourceVersion());
    }

    @Test
    void deletionLeavesNothingOfOursAndEverythingOfOthers() {
        assertThat(kit.garbageCollectorRunning()).as("the kit's kube-controller-manager").isTrue();
        GatewayRef ref = new GatewayRef("life-d", "texera");
        TexeraGatewaySpec spec = spec("texera.example.com");
        spec.setComputingUnits(units("life-d-pool"));
        kit.admit("life-d-pool", "life-d");
        create("life-d", "texera", spec);
        await().atMost(WAIT).until(() -> admin.resources(SecurityPolicy.class).inNamespace("life-d-pool")
                .withName(Names.unitPolicies(ref)).get() != null
                && admin.resources(HTTPRoute.class).inNamespace("life-d").list().getItems().size() == 9);
        // cert-manager's ACME solver route in the pool and in the release namespace: not ours.
        for (String namespace : List.of("life-d", "life-d-pool")) {
            admin.resource(new HTTPRouteBuilder().withMetadata(new ObjectMetaBuilder().withNamespace(namespace)
                    .withName("cm-acme-http-solver").withLabels(Map.of("acme.cert-manager.io/http01-solver", "true")).build())
                    .withNewSpec().addNewParentRef().withName("texera").endParentRef().endSpec().build()).create();
        }

        admin.resource(get("life-d", "texera")).delete();

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(get("life-d", "texera")).isNull();
            assertThat(admin.resources(SecurityPolicy.class).inNamespace("life-d-pool").list().getItems()).isEmpty();
            assertThat(admin.resources(BackendTrafficPolicy.class).inNamespace("life-d-pool").list().getItems()).isEmpty();
            // The garbage collector takes what the TexeraGateway owned.
            assertThat(admin.resources(Gateway.class).inNamespace("life-d").list().getItems()).isEmpty();
            assertThat(admin.resources(HTTPRoute.class).inNamespace("life-d").withLabel(Labels.MANAGED_BY).list().getItems())
                    .isEmpty();
            assertThat(admin.resources(ReferenceGrant.class).inNamespace("life-d").list().getItems()).isEmpty();
        });
        assertThat(admin.resources(HTTPRoute.class).inNamespace("life-d").withName("cm-acme-http-solver").get()).isNotNull();
        assertThat(admin.resources(HTTPRoute.class).inNamespace("life-d-pool").withName("cm-acme-http-solver").get())
                .isNotNull();
    }

    /** docs/migrating.md, steps 3 to 5: the Gateway Texera's Envoy Gateway templates made is taken over in place. */
    @Test
    void aGatewayOfTheOldChartIsRefusedUntilHandedOverThenUpdatedInPlaceAndItsRoutesKeepServingUntilRemoved() {
        kit.namespace("life-m");
        Gateway old = admin.resource(new GatewayBuilder().withMetadata(new ObjectMetaBuilder().withNamespace("life-m")
                .withName("texera-gateway").withLabels(Map.of(Labels.MANAGED_BY, "Helm"))
                .withAnnotations(Map.of("meta.helm.sh/release-name", "texera", "helm.sh/resource-policy", "keep")).build())
                .withNewSpec().withGatewayClassName("eg").addNewListener().withName("http").withProtocol("HTTP").withPort(80)
                .withNewAllowedRoutes().withNewNamespaces().withFrom("Same").endNamespaces().endAllowedRoutes().endListener()
                .endSpec().build()).create();
        HTTPRoute oldRoutes = admin.resource(new HTTPRouteBuilder().withMetadata(new ObjectMetaBuilder()
                .withNamespace("life-m").withName("texera-static-routes").build())
                .withNewSpec().addNewParentRef().withName("texera-gateway").endParentRef().endSpec().build()).create();

        kit.admit("texera-workflow-computing-unit-pool", "life-m");
        create("life-m", "texera-gateway", spec("texera.example.com"));
        // Not the operator's: it is left alone, and the status says how to hand it over.
        await().atMost(WAIT).untilAsserted(() -> assertThat(ready(get("life-m", "texera-gateway")))
                .returns(Conditions.REASON_WRITE_REFUSED, Condition::getReason)
                .satisfies(c -> assertThat(c.getMessage()).contains("Gateway life-m/texera-gateway exists and was not "
                        + "created by texera-gateway-operator", "kubectl label gateway texera-gateway -n life-m --overwrite "
                        + "app.kubernetes.io/managed-by=texera-gateway-operator")));
        assertThat(admin.resources(Gateway.class).inNamespace("life-m").withName("texera-gateway").get().getMetadata()
                .getResourceVersion()).isEqualTo(old.getMetadata().getResourceVersion());

        // Its owner hands it over (docs/migrating.md, step 4).
        admin.resources(Gateway.class).inNamespace("life-m").withName("texera-gateway").edit(g -> new GatewayBuilder(g)
                .editMetadata().addToLabels(Labels.topology(new GatewayRef("life-m", "texera-gateway"))).endMetadata().build());
        await().atMost(WAIT).untilAsserted(() -> {
            Gateway gateway = admin.resources(Gateway.class).inNamespace("life-m").withName("texera-gateway").get();
            assertThat(gateway.getMetadata().getUid()).as("the same Gateway, so the same Envoy and address")
                    .isEqualTo(old.getMetadata().getUid());
            assertThat(gateway.getMetadata().getLabels()).containsEntry(Labels.MANAGED_BY, Labels.OPERATOR);
            assertThat(gateway.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
            assertThat(gateway.getMetadata().getOwnerReferences()).singleElement()
                    .satisfies(owner -> assertThat(owner.getKind()).isEqualTo("TexeraGateway"));
            assertThat(gateway.getSpec().getListeners().get(0).getHostname()).isEqualTo("texera.example.com");
            assertThat(admin.resources(HTTPRoute.class).inNamespace("life-m").withLabel(Labels.MANAGED_BY, Labels.OPERATOR)
                    .list().getItems()).hasSize(9);
        });
        // The old routes overlap the new ones on the same Gateway until the chart removes them; the operator leaves them.
        assertThat(admin.resources(HTTPRoute.class).inNamespace("life-m").withName("texera-static-routes").get()
                .getMetadata().getResourceVersion()).isEqualTo(oldRoutes.getMetadata().getResourceVersion());
    }

    /** Refused means unchanged: a GatewayClass the operator may not create leaves the Gateway on its class. */
    @Test
    void aRefusedGatewayClassLeavesTheGatewayOnItsClassAndNoConditionPassesForTheNewSpec() {
        kit.admit("life-r-pool", "life-r");
        TexeraGatewaySpec spec = spec("texera.example.com");
        spec.setComputingUnits(units("life-r-pool"));
        create("life-r", "texera", spec);
        // Envoy Gateway's answers, written again until every object is there to answer for.
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(admin.resources(Gateway.class).inNamespace("life-r").withName("texera").get()).isNotNull();
            new EnvoyGatewayStandIn(admin).programAll("life-r", "texera", true);
            assertThat(ready(get("life-r", "texera")).getStatus()).isEqualTo("True");
        });

        SpecEdits.edit(admin, "life-r", "texera", r -> {
            org.apache.texera.gateway.api.v1alpha1.GatewayClassSpec gatewayClass =
                    new org.apache.texera.gateway.api.v1alpha1.GatewayClassSpec();
            gatewayClass.setName("life-r-class");
            gatewayClass.setCreate(true);
            r.getSpec().setGatewayClass(gatewayClass);
            return r;
        });
        await().atMost(WAIT).untilAsserted(() -> {
            var resource = get("life-r", "texera");
            assertThat(resource.getStatus().getObservedGeneration()).isEqualTo(resource.getMetadata().getGeneration());
            assertThat(ready(resource)).returns("False", Condition::getStatus)
                    .returns(Conditions.REASON_CONSENT_MISSING, Condition::getReason)
                    .satisfies(c -> assertThat(c.getMessage()).contains("set spec.gatewayClass.create to false"));
            for (String type : List.of(Conditions.GATEWAY_PROGRAMMED, Conditions.ROUTES_ACCEPTED, Conditions.POLICIES_ACCEPTED)) {
                assertThat(Conditions.find(resource.getStatus().getConditions(), type).getStatus()).as(type).isEqualTo("Unknown");
            }
        });
        assertThat(admin.resources(Gateway.class).inNamespace("life-r").withName("texera").get().getSpec()
                .getGatewayClassName()).isEqualTo("eg");
        assertThat(admin.resources(GatewayClass.class).withName("life-r-class").get()).isNull();
    }

    static ComputingUnitsSpec units(String namespace) {
        ComputingUnitsSpec units = new ComputingUnitsSpec();
        units.setNamespace(namespace);
        return units;
    }
}
