package org.apache.texera.gateway.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import org.apache.texera.gateway.api.v1alpha1.ComputingUnitsSpec;
import org.apache.texera.gateway.api.v1alpha1.TexeraGatewaySpec;
import org.apache.texera.gateway.api.v1alpha1.UnitCounts;
import org.apache.texera.gateway.envoygateway.SecurityPolicy;
import org.apache.texera.gateway.model.GatewayRef;
import org.apache.texera.gateway.model.Names;
import org.apache.texera.gateway.reconciler.gateway.Conditions;
import org.apache.texera.gateway.testing.SpecEdits;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Computing units on a real API server, with Texera's part (pods, and their Ready status, as a kubelet would write
 * it) played by the test: a route per Ready unit and only then, never without the ext-auth policy that covers it.
 */
@QuarkusTest
@TestProfile(RealApiServerProfile.class)
class UnitLifecycleApiServerTest extends OperatorOnApiServer {

    @Test
    void aUnitIsRoutedWhileReadyAndUnroutedWhenNotReadyOrDeleted() {
        GatewayRef gateway = gatewayWithPool("unit-a", "unit-a-pool");
        Pod pod = createPod("unit-a-pool", "computing-unit-7", "7");
        await().atMost(WAIT).untilAsserted(() -> assertThat(unitCounts("unit-a").waiting())
                .isEqualTo(1));
        assertThat(unitRoute(gateway, "unit-a-pool", 7)).isNull();

        setReady(pod, true);
        await().atMost(WAIT).untilAsserted(() -> {
            HTTPRoute route = unitRoute(gateway, "unit-a-pool", 7);
            assertThat(route).isNotNull();
            assertThat(route.getMetadata().getOwnerReferences()).singleElement()
                    .returns(pod.getMetadata().getUid(), OwnerReference::getUid)
                    .satisfies(owner -> assertThat(owner.getController()).isNotEqualTo(Boolean.TRUE))
                    .satisfies(owner -> assertThat(owner.getBlockOwnerDeletion()).isNotEqualTo(Boolean.TRUE));
            assertThat(unitService(gateway, "unit-a-pool", 7)).isNotNull();
            assertThat(unitCounts("unit-a").routed()).isEqualTo(1);
        });

        setReady(pod, false);
        await().atMost(WAIT).until(() -> unitRoute(gateway, "unit-a-pool", 7) == null
                && unitService(gateway, "unit-a-pool", 7) == null);

        setReady(pod, true);
        await().atMost(WAIT).until(() -> unitRoute(gateway, "unit-a-pool", 7) != null);
        admin.resource(pod).withGracePeriod(0).delete();
        await().atMost(WAIT).until(() -> unitRoute(gateway, "unit-a-pool", 7) == null
                && unitService(gateway, "unit-a-pool", 7) == null);
    }

    @Test
    void anIdIsReusedAndADuplicateWaitsForTheOlderPodToGo() {
        GatewayRef gateway = gatewayWithPool("unit-b", "unit-b-pool");
        Pod older = createPod("unit-b-pool", "computing-unit-3", "3");
        setReady(older, true);
        await().atMost(WAIT).until(() -> unitRoute(gateway, "unit-b-pool", 3) != null);

        // Creation timestamps have a resolution of one second: the newer pod must be visibly newer.
        Instant olderCreated = Instant.parse(older.getMetadata().getCreationTimestamp());
        await().atMost(WAIT).until(() -> Instant.now().isAfter(olderCreated.plus(1, ChronoUnit.SECONDS)));
        Pod newer = createPod("unit-b-pool", "computing-unit-3-retry", "3");
        setReady(newer, true);
        await().atMost(WAIT).untilAsserted(() -> assertThat(admin.v1().events().inNamespace("unit-b-pool").list().getItems())
                .anySatisfy(e -> assertThat(e).returns("DuplicateId", Event::getReason)
                        .returns("computing-unit-3-retry", ev -> ev.getInvolvedObject().getName())));
        assertThat(unitRoute(gateway, "unit-b-pool", 3).getMetadata().getOwnerReferences().get(0).getUid())
                .isEqualTo(older.getMetadata().getUid());

        admin.resource(older).withGracePeriod(0).delete();
        await().atMost(WAIT).untilAsserted(() -> {
            HTTPRoute route = unitRoute(gateway, "unit-b-pool", 3);
            assertThat(route).isNotNull();
            assertThat(route.getMetadata().getOwnerReferences()).extracting(OwnerReference::getUid)
                    .containsExactly(newer.getMetadata().getUid());
        });
    }

    @Test
    void changingThePoolOrTheSelectorMovesTheRoutes() {
        GatewayRef gateway = gatewayWithPool("unit-c", "unit-c-pool");
        kit.admit("unit-c-pool2", "unit-c");
        Pod first = createPod("unit-c-pool", "computing-unit-1", "1");
        Pod second = createPod("unit-c-pool2", "computing-unit-2", "2");
        setReady(first, true);
        setReady(second, true);
        await().atMost(WAIT).until(() -> unitRoute(gateway, "unit-c-pool", 1) != null);
        assertThat(unitRoute(gateway, "unit-c-pool2", 2)).isNull();

        SpecEdits.edit(admin, "unit-c", "texera", r -> {
            r.getSpec().getComputingUnits().setNamespace("unit-c-pool2");
            return r;
        });
        await().atMost(WAIT).until(() -> unitRoute(gateway, "unit-c-pool", 1) == null
                && unitRoute(gateway, "unit-c-pool2", 2) != null);

        SpecEdits.edit(admin, "unit-c", "texera", r -> {
            r.getSpec().getComputingUnits().setPodSelector(Map.of("type", "computing-unit", "tier", "gpu"));
            return r;
        });
        await().atMost(WAIT).until(() -> unitRoute(gateway, "unit-c-pool2", 2) == null);
    }

    @Test
    void noUnitRouteExistsWhileItsExtAuthPolicyCannotBeCreated() {
        kit.admit("unit-d-pool", "unit-d");
        // The pool's administrator allows no SecurityPolicy there (yet): the operator cannot put ext-auth in place.
        admin.resource(new ResourceQuotaBuilder().withNewMetadata().withName("no-policies").withNamespace("unit-d-pool")
                .endMetadata().withNewSpec().withHard(Map.of("count/securitypolicies.gateway.envoyproxy.io",
                        new io.fabric8.kubernetes.api.model.Quantity("0")))
                .endSpec().build()).create();
        // Quota admission enforces a quota once the kit's resource-quota controller has filled in its status.
        await().atMost(WAIT).until(() -> {
            var quota = admin.resourceQuotas().inNamespace("unit-d-pool").withName("no-policies").get();
            return quota.getStatus() != null && quota.getStatus().getHard() != null && !quota.getStatus().getHard().isEmpty();
        });
        GatewayRef gateway = gatewayWithPool("unit-d", "unit-d-pool");
        Pod pod = createPod("unit-d-pool", "computing-unit-9", "9");
        setReady(pod, true);

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(unitCounts("unit-d").waiting()).isEqualTo(1);
            assertThat(Conditions.find(get("unit-d", "texera").getStatus().getConditions(), Conditions.UNITS_ROUTED))
                    .returns("False", io.fabric8.kubernetes.api.model.Condition::getStatus)
                    .returns("WaitingForAuthPolicy", io.fabric8.kubernetes.api.model.Condition::getReason);
        });
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> unitRoute(gateway, "unit-d-pool", 9) == null);
        assertThat(admin.resources(SecurityPolicy.class).inNamespace("unit-d-pool").list().getItems()).isEmpty();

        admin.resourceQuotas().inNamespace("unit-d-pool").withName("no-policies").delete();
        await().atMost(WAIT).until(() -> admin.resources(SecurityPolicy.class).inNamespace("unit-d-pool")
                .withName(Names.unitPolicies(gateway)).get() != null && unitRoute(gateway, "unit-d-pool", 9) != null);

        // The policy deleted by hand: the routes it covered go with it, then both come back.
        admin.resources(SecurityPolicy.class).inNamespace("unit-d-pool").withName(Names.unitPolicies(gateway)).delete();
        await().atMost(WAIT).until(() -> admin.resources(SecurityPolicy.class).inNamespace("unit-d-pool")
                .withName(Names.unitPolicies(gateway)).get() != null && unitRoute(gateway, "unit-d-pool", 9) != null);
        // Only the quota's refusals of the policy were 403s: admission's, after RBAC allowed them.
        expectForbidden(r -> !r.deniedByRbac() && "securitypolicies".equals(r.resource()));
    }

    @Test
    void aPoolNamespaceDeletedAndCreatedAgainEndsRouted() {
        assertThat(kit.garbageCollectorRunning()).isTrue();
        GatewayRef gateway = gatewayWithPool("unit-e", "unit-e-pool");
        Pod pod = createPod("unit-e-pool", "computing-unit-4", "4");
        setReady(pod, true);
        await().atMost(WAIT).until(() -> unitRoute(gateway, "unit-e-pool", 4) != null);

        admin.namespaces().withName("unit-e-pool").delete();
        await().atMost(Duration.ofSeconds(60)).until(() -> admin.namespaces().withName("unit-e-pool").get() == null);

        kit.admit("unit-e-pool", "unit-e");
        Pod again = createPod("unit-e-pool", "computing-unit-4", "4");
        setReady(again, true);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(admin.resources(SecurityPolicy.class).inNamespace("unit-e-pool").withName(Names.unitPolicies(gateway))
                    .get()).isNotNull();
            HTTPRoute route = unitRoute(gateway, "unit-e-pool", 4);
            assertThat(route).isNotNull();
            assertThat(route.getMetadata().getOwnerReferences().get(0).getUid()).isEqualTo(again.getMetadata().getUid());
        });
        // While the namespace was terminating, admission refused new objects in it (403, "being terminated").
        expectForbidden(r -> !r.deniedByRbac() && "unit-e-pool".equals(r.namespace()));
    }

    private Service unitService(GatewayRef gateway, String pool, long id) {
        return UnitFixtures.service(admin, gateway, pool, id);
    }
}
