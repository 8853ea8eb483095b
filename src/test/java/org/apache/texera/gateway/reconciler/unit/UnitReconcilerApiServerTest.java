package org.apache.texera.gateway.reconciler.unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.texera.gateway.api.v1alpha1.ComputingUnitsSpec;
import org.apache.texera.gateway.api.v1alpha1.TexeraGateway;
import org.apache.texera.gateway.api.v1alpha1.TexeraGatewaySpec;
import org.apache.texera.gateway.api.v1alpha1.UnitCounts;
import org.apache.texera.gateway.apiserver.ApiServerAudit;
import org.apache.texera.gateway.apiserver.OperatorOnApiServer;
import org.apache.texera.gateway.apiserver.RealApiServerProfile;
import org.apache.texera.gateway.apiserver.UnitFixtures;
import org.apache.texera.gateway.model.GatewayRef;
import org.apache.texera.gateway.model.Labels;
import org.apache.texera.gateway.model.Names;
import org.apache.texera.gateway.reconciler.gateway.Conditions;
import org.apache.texera.gateway.testing.SpecEdits;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The unit reconciler on a real API server, as its ServiceAccount, with the kit's garbage collector running and
 * Texera (pods, and the kubelet's Ready) played by the test. Writes are counted from the API server's audit log.
 */
@QuarkusTest
@TestProfile(RealApiServerProfile.class)
class UnitReconcilerApiServerTest extends OperatorOnApiServer {
    @Inject
    UnitReconciler reconciler;
    @Inject
    MeterRegistry meters;
    @Inject
    UnitObjectCache unitObjects;
    /** The operator's own client, as its ServiceAccount. */
    @Inject
    KubernetesClient client;

    @Test
    void readyPodGetsItsServiceAndRouteWithExactlyTwoWritesAndThePodIsNeverWritten() throws Exception {
        GatewayRef gw = gateway("rel-a", "texera", "pool-a", null);
        Pod created = pod("pool-a", "computing-unit-42", "42", true);

        await().atMost(WAIT).untilAsserted(() -> assertThat(route(gw, "pool-a", 42)).isNotNull());
        Service service = service(gw, "pool-a", 42);
        HTTPRoute route = route(gw, "pool-a", 42);
        for (var object : List.of(service.getMetadata(), route.getMetadata())) {
            assertThat(object.getName()).isEqualTo(Names.unit(gw, 42));
            assertThat(object.getLabels()).containsAllEntriesOf(Labels.unit(gw, 42));
            assertThat(object.getOwnerReferences()).singleElement().satisfies(owner -> {
                assertThat(owner.getKind()).isEqualTo("Pod");
                assertThat(owner.getName()).isEqualTo("computing-unit-42");
                assertThat(owner.getUid()).isEqualTo(created.getMetadata().getUid());
            });
        }
        assertThat(service.getSpec().getSelector()).containsEntry("cuid", "42").containsEntry("type", "computing-unit");
        assertThat(route.getSpec().getRules()).allSatisfy(rule -> assertThat(rule.getMatches()).allSatisfy(match -> assertThat(
                match.getQueryParams() == null || match.getQueryParams().isEmpty() ? match.getPath().getValue()
                        : match.getQueryParams().get(0).getValue()).contains("42")));

        // A no-op reconcile (the pod changes in a way routing ignores) writes nothing.
        double reconciles = reconciles();
        admin.pods().inNamespace("pool-a").withName("computing-unit-42")
                .edit(p -> new PodBuilder(p).editMetadata().addToAnnotations("touched", "yes").endMetadata().build());
        await().atMost(WAIT).until(() -> reconciles() > reconciles);
        assertThat(writesIn("pool-a")).as("one Service and one HTTPRoute apply, nothing more").hasSize(2);

        // The operator never wrote the pod and never put a finalizer on it.
        Pod live = admin.pods().inNamespace("pool-a").withName("computing-unit-42").get();
        assertThat(live.getMetadata().getFinalizers()).isNullOrEmpty();
        assertThat(kit.audit().since(auditMark())).as("the operator's writes to pods")
                .noneMatch(r -> r.resource().startsWith("pods") && r.isWrite());

        // The cache holds the routing facts only.
        Pod cached = reconciler.cachedPod("pool-a", "computing-unit-42").orElseThrow();
        assertThat(cached.getSpec()).isNull();
        assertThat(cached.getMetadata().getAnnotations()).isNullOrEmpty();
        assertThat(cached.getMetadata().getLabels()).containsEntry("cuid", "42");
        assertThat(cached.getStatus().getConditions()).singleElement().satisfies(c -> assertThat(c.getType()).isEqualTo("Ready"));
        // The operator's client does not even read the spec, though the pod has one: its env carries the secret.
        assertThat(admin.pods().inNamespace("pool-a").withName("computing-unit-42").get().getSpec().getContainers())
                .singleElement().satisfies(c -> assertThat(c.getEnv()).isNotEmpty());
        assertThat(client.pods().inNamespace("pool-a").withField("metadata.name", "computing-unit-42").list().getItems())
                .singleElement().satisfies(read -> {
                    assertThat(read.getSpec()).isNull();
                    assertThat(read.getStatus().getConditions()).isNotEmpty();
                });

        await().atMost(WAIT).untilAsserted(() -> assertThat(counts("rel-a", "texera")).isEqualTo(new UnitCounts(1, 0, 0)));
        assertThat(meters.find("texera_gateway_unit_route_latency_seconds").timer().count()).isPositive();
        assertThat(meters.find("texera_gateway_units_routed").tag("gateway", "rel-a/texera").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void routeFollowsReadinessInALoop() {
        GatewayRef gw = gateway("rel-b", "texera", "pool-b", null);
        pod("pool-b", "computing-unit-5", "5", false);
        await().atMost(WAIT).untilAsserted(() -> assertThat(counts("rel-b", "texera")).isEqualTo(new UnitCounts(0, 1, 0)));
        assertThat(route(gw, "pool-b", 5)).isNull();
        for (int i = 0; i < 3; i++) {
            setReady("pool-b", "computing-unit-5", true);
            await().atMost(WAIT).untilAsserted(() -> assertThat(route(gw, "pool-b", 5)).isNotNull());
            setReady("pool-b", "computing-unit-5", false);
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(route(gw, "pool-b", 5)).isNull();
                assertThat(service(gw, "pool-b", 5)).isNull();
            });
        }
        // Requests, not just successful writes: our own writes count as seen before the informer delivers them, so a
        // reconcile that races the cache neither repeats a create (409) nor a delete (404).
        assertThat(writesIn("pool-b")).as("2 creates and 2 deletes per round").hasSize(12);
    }

    @Test
    void routeGoesWhenThePodTerminatesLosesItsLabelOrIsDeleted() {
        GatewayRef gw = gateway("rel-c", "texera", "pool-c", null);
        // Terminating: the test's own finalizer holds the pod, so it stays with a deletionTimestamp.
        create(new PodBuilder(podObject("pool-c", "computing-unit-1", "1")).editMetadata()
                .addToFinalizers("test.texera.apache.org/hold").endMetadata().build(), true);
        pod("pool-c", "computing-unit-2", "2", true);
        pod("pool-c", "computing-unit-3", "3", true);
        await().atMost(WAIT).untilAsserted(() -> {
            for (long id = 1; id <= 3; id++) {
                assertThat(route(gw, "pool-c", id)).isNotNull();
            }
        });

        admin.pods().inNamespace("pool-c").withName("computing-unit-1").delete();
        admin.pods().inNamespace("pool-c").withName("computing-unit-2")
                .edit(p -> new PodBuilder(p).editMetadata().removeFromLabels("type").endMetadata().build());
        admin.pods().inNamespace("pool-c").withName("computing-unit-3").delete();

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(admin.pods().inNamespace("pool-c").withName("computing-unit-1").get().getMetadata()
                    .getDeletionTimestamp()).isNotNull();
            for (long id = 1; id <= 3; id++) {
                assertThat(route(gw, "pool-c", id)).as("route %d", id).isNull();
                assertThat(service(gw, "pool-c", id)).as("service %d", id).isNull();
            }
        });
        admin.pods().inNamespace("pool-c").withName("computing-unit-1")
                .edit(p -> new PodBuilder(p).editMetadata().withFinalizers().endMetadata().build());
    }

    @Test
    void badIdsAreRejectedWithAnEventAndCounted() {
        gateway("rel-d", "texera", "pool-d", null);
        Map<String, String> bad = new HashMap<>();
        bad.put("computing-unit-missing", null);
        bad.put("computing-unit-empty", "");
        bad.put("computing-unit-abc", "abc");
        bad.put("computing-unit-zero", "0");
        bad.put("computing-unit-long", "1234567890123456789012345");
        bad.forEach((name, id) -> pod("pool-d", name, id, true));
        pod("pool-d", "computing-unit-9", "9", true);

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(counts("rel-d", "texera")).isEqualTo(new UnitCounts(1, 0, 5));
            assertThat(warnings("pool-d")).containsEntry("computing-unit-missing", "MissingId")
                    .containsEntry("computing-unit-empty", "EmptyId").containsEntry("computing-unit-abc", "NotANumber")
                    .containsEntry("computing-unit-zero", "NotPositive").containsEntry("computing-unit-long", "TooLong");
        });
        assertThat(admin.resources(HTTPRoute.class).inNamespace("pool-d").list().getItems()).hasSize(1);
        assertThat(meters.find("texera_gateway_units_rejected_total").tag("reason", "TooLong").tag("gateway", "rel-d/texera")
                .counter().count()).isPositive();
        // The gateway's Ready as a gauge (0: no Envoy Gateway answers here), and this replica's leadership.
        assertThat(meters.find("texera_gateway_ready").tag("gateway", "rel-d/texera").gauge().value()).isZero();
        assertThat(meters.find("texera_gateway_leader").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void aPodSelectedByTwoGatewaysIsRoutedByNeitherAndShownOnBoth() {
        GatewayRef one = gateway("rel-f1", "texera", "pool-f", null);
        GatewayRef two = gateway("rel-f2", "texera", "pool-f", null);
        pod("pool-f", "computing-unit-11", "11", true);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(counts("rel-f1", "texera")).isEqualTo(new UnitCounts(0, 0, 1));
            assertThat(counts("rel-f2", "texera")).isEqualTo(new UnitCounts(0, 0, 1));
            assertThat(warnings("pool-f")).containsEntry("computing-unit-11", "ClaimedByTwoGateways");
            // Visible on each gateway too: a condition and a Warning Event that say what to do.
            for (String namespace : List.of("rel-f1", "rel-f2")) {
                assertThat(unitsRouted(namespace)).returns("False", Condition::getStatus)
                        .returns("ClaimedByTwoGateways", Condition::getReason);
                assertThat(gatewayWarnings(namespace)).contains("ClaimedByTwoGateways");
            }
        });
        assertThat(route(one, "pool-f", 11)).isNull();
        assertThat(route(two, "pool-f", 11)).isNull();

        // The second gateway goes: the first routes the pod.
        admin.resources(TexeraGateway.class).inNamespace("rel-f2").withName("texera").delete();
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(route(one, "pool-f", 11)).isNotNull();
            assertThat(unitsRouted("rel-f1")).returns("True", Condition::getStatus).returns("Routed", Condition::getReason);
        });
    }

    @Test
    void aPodSelectorTheOperatorsWatchCannotMatchIsNamed() {
        gateway("rel-s", "texera", "pool-s", Map.of("tier", "gpu"));
        pod("pool-s", "computing-unit-3", "3", true);
        await().atMost(WAIT).untilAsserted(() -> assertThat(unitsRouted("rel-s"))
                .returns("False", Condition::getStatus).returns("SelectorCannotMatch", Condition::getReason)
                .satisfies(c -> assertThat(c.getMessage()).contains("lacks type=computing-unit")));
    }

    @Test
    void unitObjectsWhosePodIsGoneAreSweptAway() {
        // As if the pod had been deleted while the operator was down: the sweep (or here also the garbage collector)
        // removes it, and leaves the live unit alone.
        GatewayRef gw = gateway("rel-o", "texera", "pool-o", null);
        pod("pool-o", "computing-unit-6", "6", true);
        await().atMost(WAIT).untilAsserted(() -> assertThat(route(gw, "pool-o", 6)).isNotNull());
        Service live = service(gw, "pool-o", 6);
        HTTPRoute orphanRoute = route(gw, "pool-o", 6);
        orphanRoute.getMetadata().setName(Names.unit(gw, 60));
        orphanRoute.getMetadata().setResourceVersion(null);
        orphanRoute.getMetadata().setUid(null);
        orphanRoute.getMetadata().setManagedFields(null);
        orphanRoute.getMetadata().getLabels().put(Labels.UNIT_ID, "60");
        orphanRoute.getMetadata().getOwnerReferences().get(0).setName("computing-unit-60");
        orphanRoute.getMetadata().getOwnerReferences().get(0).setUid("uid-of-a-pod-that-is-gone");
        orphanRoute.setStatus(null);
        admin.resource(orphanRoute).create();

        await().atMost(WAIT).untilAsserted(() -> assertThat(route(gw, "pool-o", 60)).isNull());
        assertThat(route(gw, "pool-o", 6)).isNotNull();
        assertThat(service(gw, "pool-o", 6).getMetadata().getResourceVersion())
                .isEqualTo(live.getMetadata().getResourceVersion());
    }

    @Test
    void aUnitRouteEditedOrDeletedByHandIsPutBack() {
        GatewayRef gw = gateway("rel-h", "texera", "pool-h", null);
        pod("pool-h", "computing-unit-8", "8", true);
        await().atMost(WAIT).untilAsserted(() -> assertThat(route(gw, "pool-h", 8)).isNotNull());
        // The cache keeps a summary: no spec, a digest of it instead. Hand edits are found by that digest.
        HTTPRoute cached = (HTTPRoute) unitObjects.get(route(gw, "pool-h", 8));
        assertThat(cached.getSpec()).isNull();
        assertThat(cached.getMetadata().getAdditionalProperties()).containsKey(UnitObjectCache.OBSERVED_SPEC);
        assertThat(route(gw, "pool-h", 8).getMetadata().getAnnotations()).doesNotContainKey(UnitObjectCache.OBSERVED_SPEC);

        admin.resources(HTTPRoute.class).inNamespace("pool-h").withName(Names.unit(gw, 8))
                .edit(r -> { r.getSpec().getRules().get(0).setTimeouts(null); return r; });
        await().atMost(WAIT).untilAsserted(() -> assertThat(route(gw, "pool-h", 8).getSpec().getRules().get(0).getTimeouts())
                .isNotNull());

        admin.resources(HTTPRoute.class).inNamespace("pool-h").withName(Names.unit(gw, 8)).delete();
        admin.services().inNamespace("pool-h").withName(Names.unit(gw, 8)).delete();
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(route(gw, "pool-h", 8)).isNotNull();
            assertThat(service(gw, "pool-h", 8)).isNotNull();
        });
    }

    @Test
    void gatewayDeletionOrSelectorChangeRemovesUnitRoutesAndTimeoutChangeRollsOut() {
        GatewayRef gw = gateway("rel-i", "texera", "pool-i", null);
        GatewayRef gone = gateway("rel-i2", "texera", "pool-i2", null);
        pod("pool-i", "computing-unit-1", "1", true);
        pod("pool-i", "computing-unit-2", "2", true);
        pod("pool-i2", "computing-unit-1", "1", true);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(route(gw, "pool-i", 1)).isNotNull();
            assertThat(route(gw, "pool-i", 2)).isNotNull();
            assertThat(route(gone, "pool-i2", 1)).isNotNull();
        });

        // Timeout change: every unit route gets it.
        SpecEdits.edit(admin, "rel-i", "texera", g -> {
            g.getSpec().getComputingUnits().setTimeout("3600s");
            return g;
        });
        await().atMost(WAIT).untilAsserted(() -> {
            for (long id = 1; id <= 2; id++) {
                assertThat(route(gw, "pool-i", id).getSpec().getRules()).allSatisfy(
                        rule -> assertThat(rule.getTimeouts().getRequest()).isEqualTo("3600s"));
            }
        });

        // Selector change: no pod matches any more.
        SpecEdits.edit(admin, "rel-i", "texera", g -> {
            g.getSpec().getComputingUnits().setPodSelector(Map.of("type", "computing-unit", "tier", "gold"));
            return g;
        });
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(route(gw, "pool-i", 1)).isNull();
            assertThat(route(gw, "pool-i", 2)).isNull();
            assertThat(counts("rel-i", "texera")).isEqualTo(new UnitCounts(0, 0, 0));
        });

        admin.resources(TexeraGateway.class).inNamespace("rel-i2").withName("texera").delete();
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(route(gone, "pool-i2", 1)).isNull();
            assertThat(service(gone, "pool-i2", 1)).isNull();
        });
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    private GatewayRef gateway(String namespace, String name, String pool, Map<String, String> selector) {
        kit.admit(pool, namespace);
        TexeraGatewaySpec spec = new TexeraGatewaySpec();
        spec.setHostname("texera.example.com");
        ComputingUnitsSpec units = new ComputingUnitsSpec();
        units.setNamespace(pool);
        units.setPodSelector(selector);
        spec.setComputingUnits(units);
        create(namespace, name, spec);
        return new GatewayRef(namespace, name);
    }

    /** A pod as Texera creates it: its env carries a secret, which the operator's cache must never hold. */
    private static Pod podObject(String namespace, String name, String id) {
        Map<String, String> labels = new HashMap<>(Map.of("type", "computing-unit", "name", name));
        if (id != null) {
            labels.put("cuid", id);
        }
        return new PodBuilder().withNewMetadata().withNamespace(namespace).withName(name).withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("computing-unit-master").withImage("texera/cu")
                .addNewEnv().withName("JWT_SECRET").withValue("s3cret").endEnv().endContainer().endSpec().build();
    }

    private Pod pod(String namespace, String name, String id, boolean ready) {
        kit.namespace(namespace);
        return create(podObject(namespace, name, id), ready);
    }

    /** Creates the pod, then writes its status as the kubelet would (status is not taken on create). */
    private Pod create(Pod pod, boolean ready) {
        Pod created = admin.resource(pod).create();
        UnitFixtures.setReady(admin, created.getMetadata().getNamespace(), created.getMetadata().getName(), ready);
        return created;
    }

    private void setReady(String namespace, String name, boolean ready) {
        UnitFixtures.setReady(admin, namespace, name, ready);
    }

    private HTTPRoute route(GatewayRef gw, String pool, long id) {
        return UnitFixtures.route(admin, gw, pool, id);
    }

    private Service service(GatewayRef gw, String pool, long id) {
        return UnitFixtures.service(admin, gw, pool, id);
    }

    private UnitCounts counts(String namespace, String name) {
        TexeraGateway gateway = get(namespace, name);
        return gateway == null || gateway.getStatus() == null ? null : gateway.getStatus().getUnits();
    }

    private Condition unitsRouted(String namespace) {
        TexeraGateway gateway = get(namespace, "texera");
        assertThat(gateway.getStatus()).isNotNull();
        return Conditions.find(gateway.getStatus().getConditions(), Conditions.UNITS_ROUTED);
    }

    /** The reasons of the Warning Events on the TexeraGateway "texera" of the namespace. */
    private List<String> gatewayWarnings(String namespace) {
        return admin.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> "Warning".equals(e.getType()) && "TexeraGateway".equals(e.getInvolvedObject().getKind()))
                .map(Event::getReason).toList();
    }

    /** Warning Events by the pod they are about: pod name to reason. */
    private Map<String, String> warnings(String namespace) {
        Map<String, String> reasons = new HashMap<>();
        for (Event event : admin.v1().events().inNamespace(namespace).list().getItems()) {
            if ("Warning".equals(event.getType()) && "Pod".equals(event.getInvolvedObject().getKind())) {
                reasons.put(event.getInvolvedObject().getName(), event.getReason());
            }
        }
        return reasons;
    }

    private double reconciles() {
        return meters.find("texera_gateway_reconcile_seconds").tag("controller", UnitReconciler.NAME).timers().stream()
                .mapToDouble(t -> t.count()).sum();
    }

    /** The operator's write requests to Services and HTTPRoutes in the pool, refused ones included. */
    private List<ApiServerAudit.Request> writesIn(String pool) {
        return kit.audit().since(auditMark()).stream().filter(ApiServerAudit.Request::isWrite)
                .filter(r -> pool.equals(r.namespace()))
                .filter(r -> r.resource().equals("services") || r.resource().equals("httproutes")).toList();
    }
}
