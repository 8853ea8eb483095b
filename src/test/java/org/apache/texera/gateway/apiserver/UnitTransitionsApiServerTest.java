package org.apache.texera.gateway.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.apache.texera.gateway.api.v1alpha1.BackendSpec;
import org.apache.texera.gateway.api.v1alpha1.RouteSpec;
import org.apache.texera.gateway.envoygateway.SecurityPolicy;
import org.apache.texera.gateway.model.Consent;
import org.apache.texera.gateway.model.GatewayRef;
import org.apache.texera.gateway.model.Names;
import org.apache.texera.gateway.reconciler.gateway.Conditions;
import org.apache.texera.gateway.testing.SpecEdits;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The promises about units, kept at every moment of a transition, not only at its end: each test records every change
 * the API server makes to unit routes and Services, the operator's SecurityPolicies and Events ({@link Timeline}),
 * drives one transition, and checks the rule after each change in the order the API server made them.
 * <ul>
 * <li>fail closed: no unit route exists while its gateway's ext-auth policy is absent (or being deleted, on the
 * paths the operator drives);</li>
 * <li>tenant isolation: a TexeraGateway the pool never admitted changes nothing there and records no Event there;</li>
 * <li>last good spec: a spec the operator refuses changes no unit object;</li>
 * <li>eventually routed: after the transition is undone, every Ready unit is routed again.</li>
 * </ul>
 */
@QuarkusTest
@TestProfile(RealApiServerProfile.class)
class UnitTransitionsApiServerTest extends OperatorOnApiServer {
    private static final int UNITS = 5;
    /** How long a transition that must change nothing is watched, once its status says it was seen. */
    private static final Duration NOTHING_HAPPENS = Duration.ofSeconds(3);

    /** A gateway with {@link #UNITS} Ready units, all routed. */
    private GatewayRef routedUnits(String namespace, String pool) {
        GatewayRef gateway = gatewayWithPool(namespace, pool);
        List<Pod> pods = IntStream.rangeClosed(1, UNITS).mapToObj(i -> createPod(pool, "computing-unit-" + i, "" + i)).toList();
        pods.forEach(pod -> setReady(pod, true));
        awaitRouted(gateway, pool);
        return gateway;
    }

    private void awaitRouted(GatewayRef gateway, String pool) {
        await().atMost(WAIT).untilAsserted(() -> IntStream.rangeClosed(1, UNITS)
                .forEach(i -> assertThat(unitRoute(gateway, pool, i)).as("route of unit %d", i).isNotNull()));
    }

    private boolean noUnitRouteIn(GatewayRef gateway, String pool) {
        return IntStream.rangeClosed(1, UNITS).allMatch(i -> unitRoute(gateway, pool, i) == null);
    }

    private SecurityPolicy unitPolicy(GatewayRef gateway, String pool) {
        return admin.resources(SecurityPolicy.class).inNamespace(pool).withName(Names.unitPolicies(gateway)).get();
    }

    private static void assertFailClosed(Timeline timeline, boolean deletingIsAbsent) {
        assertThat(timeline.firstUnitRouteWithoutItsPolicy(deletingIsAbsent)).as("a moment without ext-auth").isEmpty();
    }

    @Test
    void consentWithdrawnTakesTheRoutesAwayBeforeTheirPolicyAndGivenAgainRoutesThemAgain() {
        GatewayRef gateway = routedUnits("tr-consent", "tr-consent-pool");
        try (Timeline timeline = Timeline.start(admin)) {
            admin.namespaces().withName("tr-consent-pool").edit(n -> new NamespaceBuilder(n).editMetadata()
                    .removeFromLabels(Consent.admitLabel("tr-consent")).endMetadata().build());
            await().atMost(WAIT).until(() -> noUnitRouteIn(gateway, "tr-consent-pool")
                    && unitPolicy(gateway, "tr-consent-pool") == null);
            assertFailClosed(timeline, true);

            kit.admit("tr-consent-pool", "tr-consent");
            awaitRouted(gateway, "tr-consent-pool");
            assertFailClosed(timeline, true);
        }
    }

    @Test
    void aDeletedGatewayTakesItsRoutesAwayBeforeItsPolicies() {
        GatewayRef gateway = routedUnits("tr-delete", "tr-delete-pool");
        try (Timeline timeline = Timeline.start(admin)) {
            admin.resource(get("tr-delete", "texera")).delete();
            await().atMost(WAIT).until(() -> get("tr-delete", "texera") == null);
            assertThat(noUnitRouteIn(gateway, "tr-delete-pool")).isTrue();
            assertThat(unitPolicy(gateway, "tr-delete-pool")).isNull();
            assertFailClosed(timeline, true);
        }
    }

    @Test
    void aPoolMovedTakesTheOldPoolsRoutesAwayBeforeItsPolicy() {
        GatewayRef gateway = routedUnits("tr-move", "tr-move-pool");
        kit.admit("tr-move-pool2", "tr-move");
        try (Timeline timeline = Timeline.start(admin)) {
            SpecEdits.edit(admin, "tr-move", "texera", r -> {
                r.getSpec().getComputingUnits().setNamespace("tr-move-pool2");
                return r;
            });
            await().atMost(WAIT).until(() -> noUnitRouteIn(gateway, "tr-move-pool") && unitPolicy(gateway, "tr-move-pool") == null);
            assertFailClosed(timeline, true);
        }
    }

    @Test
    void aPolicyDeletedByHandIsHeldUntilItsRoutesAreGoneThenBothComeBack() {
        GatewayRef gateway = routedUnits("tr-hand", "tr-hand-pool");
        try (Timeline timeline = Timeline.start(admin)) {
            long before = Timeline.now(admin);
            admin.resources(SecurityPolicy.class).inNamespace("tr-hand-pool").withName(Names.unitPolicies(gateway)).delete();
            // Gone for a moment (routes first), then written again, and the units routed again.
            await().atMost(WAIT).until(() -> !timeline.changesSince(before, c -> c.object() instanceof SecurityPolicy
                    && "DELETED".equals(c.action())).isEmpty());
            awaitRouted(gateway, "tr-hand-pool");
            assertThat(unitPolicy(gateway, "tr-hand-pool")).isNotNull();
            // Someone else's delete marks the policy at once; its finalizer keeps it until the routes are gone.
            assertFailClosed(timeline, false);
        }
    }

    @Test
    void aPoolNamespaceDeletedLosesItsRoutesBeforeItsPolicy() {
        assertThat(kit.garbageCollectorRunning()).as("the namespace controller").isTrue();
        GatewayRef gateway = routedUnits("tr-nsdel", "tr-nsdel-pool");
        try (Timeline timeline = Timeline.start(admin)) {
            admin.namespaces().withName("tr-nsdel-pool").delete();
            await().atMost(Duration.ofSeconds(90)).until(() -> admin.namespaces().withName("tr-nsdel-pool").get() == null);
            assertFailClosed(timeline, false);
        }
        // While the namespace was terminating, admission refused new objects in it (403, "being terminated").
        expectForbidden(r -> !r.deniedByRbac() && "tr-nsdel-pool".equals(r.namespace()));
    }

    @Test
    void aGatewayThePoolNeverAdmittedHasNoEffectThere() {
        GatewayRef admitted = routedUnits("tr-tenant", "tr-tenant-pool");
        try (Timeline timeline = Timeline.start(admin)) {
            long before = Timeline.now(admin);
            // Someone with rights only in their own namespace names the pool.
            createGateway("tr-intruder", "tr-tenant-pool");
            await().atMost(WAIT).untilAsserted(() -> assertThat(ready(get("tr-intruder", "texera")))
                    .returns(Conditions.REASON_CONSENT_MISSING, Condition::getReason));
            await().during(NOTHING_HAPPENS).atMost(NOTHING_HAPPENS.plus(WAIT))
                    .untilAsserted(() -> assertThat(unitCounts("tr-tenant").routed()).isEqualTo(UNITS));
            assertThat(timeline.effectsIn("tr-tenant-pool", before)).as("changes and Events in the pool").isEmpty();
            assertThat(unitCounts("tr-tenant").rejected()).isZero();
            awaitRouted(admitted, "tr-tenant-pool");
        }
    }

    @Test
    void aSpecTheOperatorRefusesChangesNoUnitAndTheFixedSpecRoutesAsBefore() {
        GatewayRef gateway = routedUnits("tr-invalid", "tr-invalid-pool");
        try (Timeline timeline = Timeline.start(admin)) {
            long before = Timeline.now(admin);
            // The CRD accepts a new route without a backend; only the operator's resolver refuses it.
            SpecEdits.edit(admin, "tr-invalid", "texera", r -> {
                RouteSpec grafana = new RouteSpec();
                grafana.setName("grafana");
                grafana.setPathPrefixes(List.of("/grafana"));
                r.getSpec().setRoutes(List.of(grafana));
                return r;
            });
            await().atMost(WAIT).untilAsserted(() -> assertThat(ready(get("tr-invalid", "texera")))
                    .returns(Conditions.REASON_INVALID_SPEC, Condition::getReason));
            // A unit that turns Ready meanwhile waits for a valid spec; the routed ones stay.
            Pod late = createPod("tr-invalid-pool", "computing-unit-99", "99");
            setReady(late, true);
            await().during(NOTHING_HAPPENS).atMost(NOTHING_HAPPENS.plus(WAIT))
                    .until(() -> unitRoute(gateway, "tr-invalid-pool", 99) == null);
            assertThat(timeline.unitObjectsTouched(gateway, before)).as("unit objects changed by an invalid spec").isEmpty();
            awaitRouted(gateway, "tr-invalid-pool");

            SpecEdits.edit(admin, "tr-invalid", "texera", r -> {
                r.getSpec().setRoutes(null);
                return r;
            });
            await().atMost(WAIT).until(() -> unitRoute(gateway, "tr-invalid-pool", 99) != null);
            assertThat(timeline.unitObjectsTouched(gateway, before)).as("what the fixed spec changed")
                    .allSatisfy(c -> assertThat(c.object().getMetadata().getName()).endsWith("-cu-99"));
            assertFailClosed(timeline, true);
        }
    }

    /**
     * Longer than JOSDK's default retry (5 attempts, about 26 s) would wait: the unit is retried without a limit, so it
     * is routed once the refusal ends, with no other event to start it again.
     */
    @Test
    void aUnitRefusedForLongerThanTheDefaultRetryBudgetIsRoutedWhenTheRefusalEnds() {
        kit.admit("tr-retry-pool", "tr-retry");
        admin.resource(new ResourceQuotaBuilder().withNewMetadata().withName("no-routes").withNamespace("tr-retry-pool")
                .endMetadata().withNewSpec().withHard(Map.of("count/httproutes.gateway.networking.k8s.io", new Quantity("0")))
                .endSpec().build()).create();
        await().atMost(WAIT).until(() -> {
            var quota = admin.resourceQuotas().inNamespace("tr-retry-pool").withName("no-routes").get();
            return quota.getStatus() != null && quota.getStatus().getHard() != null && !quota.getStatus().getHard().isEmpty();
        });
        GatewayRef gateway = createGateway("tr-retry", "tr-retry-pool");
        await().atMost(WAIT).until(() -> unitPolicy(gateway, "tr-retry-pool") != null);
        setReady(createPod("tr-retry-pool", "computing-unit-1", "1"), true);
        await().during(Duration.ofSeconds(35)).atMost(Duration.ofSeconds(35).plus(WAIT))
                .until(() -> unitRoute(gateway, "tr-retry-pool", 1) == null);

        admin.resourceQuotas().inNamespace("tr-retry-pool").withName("no-routes").delete();
        await().atMost(Duration.ofSeconds(30).plus(WAIT)).until(() -> unitRoute(gateway, "tr-retry-pool", 1) != null);
        // Only the quota's refusals of the route were 403s: admission's, after RBAC allowed them.
        expectForbidden(r -> !r.deniedByRbac() && "httproutes".equals(r.resource()));
    }

    @Test
    void aPoolsConsentForUnitsDoesNotMakeItsServicesBackends() {
        gatewayWithPool("tr-backends", "tr-backends-pool");
        SpecEdits.edit(admin, "tr-backends", "texera", r -> {
            RouteSpec sneaky = new RouteSpec();
            sneaky.setName("sneaky");
            sneaky.setPathPrefixes(List.of("/sneaky"));
            BackendSpec backend = new BackendSpec();
            backend.setService("some-unit-internal-svc");
            backend.setNamespace("tr-backends-pool");
            backend.setPort(8085);
            sneaky.setBackend(backend);
            r.getSpec().setRoutes(List.of(sneaky));
            return r;
        });
        await().atMost(WAIT).untilAsserted(() -> assertThat(ready(get("tr-backends", "texera")))
                .returns(Conditions.REASON_CONSENT_MISSING, Condition::getReason)
                .satisfies(c -> assertThat(c.getMessage()).contains("kubectl label namespace tr-backends-pool "
                        + Consent.Scope.BACKENDS.label("tr-backends") + "=true")));
        assertThat(admin.resources(ReferenceGrant.class).inNamespace("tr-backends-pool").list().getItems()).isEmpty();
        // The units' own policy is there: the units consent still holds for units.
        assertThat(unitPolicy(new GatewayRef("tr-backends", "texera"), "tr-backends-pool")).isNotNull();

        admin.namespaces().withName("tr-backends-pool").edit(n -> new NamespaceBuilder(n).editMetadata()
                .addToLabels(Map.of(Consent.Scope.BACKENDS.label("tr-backends"), "true")).endMetadata().build());
        await().atMost(WAIT).until(() -> !admin.resources(ReferenceGrant.class).inNamespace("tr-backends-pool").list()
                .getItems().isEmpty());
    }
}
