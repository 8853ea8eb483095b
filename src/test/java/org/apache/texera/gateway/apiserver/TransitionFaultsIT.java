package org.apache.texera.gateway.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.apache.texera.gateway.api.v1alpha1.RouteSpec;
import org.apache.texera.gateway.api.v1alpha1.TexeraGateway;
import org.apache.texera.gateway.config.LeaderElection;
import org.apache.texera.gateway.envoygateway.SecurityPolicy;
import org.apache.texera.gateway.model.Consent;
import org.apache.texera.gateway.model.GatewayRef;
import org.apache.texera.gateway.model.Labels;
import org.apache.texera.gateway.model.Names;
import org.apache.texera.gateway.testing.SpecEdits;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;

/**
 * Fail closed through a transition that a fault interrupts: the packaged operator is killed (-9) while it takes the
 * units of a pool away, and a new process, or the standby, finishes the work. {@link Timeline} checks after every
 * change the API server made that no unit route existed while its ext-auth policy was absent or being deleted.
 */
class TransitionFaultsIT extends FaultsSupport {
    private static final int UNITS_HERE = 50;

    private int unitRoutes(GatewayRef gateway, String pool) {
        return admin.resources(HTTPRoute.class).inNamespace(pool).withLabels(Labels.unitRouteSelector(gateway)).list()
                .getItems().size();
    }

    private boolean policyGone(GatewayRef gateway, String pool) {
        return admin.resources(SecurityPolicy.class).inNamespace(pool).withName(Names.unitPolicies(gateway)).get() == null;
    }

    /** The fault comes once the first route is gone: in the middle of taking the others away. */
    private static void awaitFirstRouteDeleted(Timeline timeline, long since) {
        await().atMost(Duration.ofSeconds(60)).until(() -> !timeline.changesSince(since,
                c -> c.object() instanceof HTTPRoute && "DELETED".equals(c.action())).isEmpty());
    }

    private String holder() {
        Lease lease = admin.leases().inNamespace(ApiServerKit.OPERATOR_NAMESPACE).withName(LeaderElection.LEASE_NAME).get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }

    @Test
    void consentWithdrawnWhileTheOperatorIsKilledAndRestarted() {
        GatewayRef gateway = gatewayWithPool("faults-tr-kill", "faults-tr-kill-pool");
        OperatorProcess first = OperatorProcess.start(kit, "operator-0", 1);
        OperatorProcess second = null;
        try (UnitChurn churn = new UnitChurn(admin, "faults-tr-kill-pool")) {
            churn.populate(UNITS_HERE);
            await().atMost(CONVERGE).until(() -> unitRoutes(gateway, "faults-tr-kill-pool") == UNITS_HERE);
            try (Timeline timeline = Timeline.start(admin)) {
                long before = Timeline.now(admin);
                admin.namespaces().withName("faults-tr-kill-pool").edit(n -> new NamespaceBuilder(n).editMetadata()
                        .removeFromLabels(Consent.admitLabel("faults-tr-kill")).endMetadata().build());
                awaitFirstRouteDeleted(timeline, before);
                first.kill();
                second = OperatorProcess.start(kit, "operator-0", 2);
                await().atMost(CONVERGE).until(() -> unitRoutes(gateway, "faults-tr-kill-pool") == 0
                        && policyGone(gateway, "faults-tr-kill-pool"));
                assertThat(timeline.firstUnitRouteWithoutItsPolicy(true)).as("a moment without ext-auth").isEmpty();
                record("8. consent withdrawn, operator killed -9 in the middle, restarted", UNITS_HERE + " routed units",
                        "every route gone before the policy; " + timeline.changesSince(before,
                                c -> c.object() instanceof HTTPRoute && "DELETED".equals(c.action())).size()
                                + " route deletions across the kill");
            }
        } finally {
            stopAndRemove(second, first, "faults-tr-kill-pool", "faults-tr-kill");
        }
    }

    @Test
    void gatewayDeletedWhileTheLeaderIsKilledAndTheStandbyTakesOver() {
        GatewayRef gateway = gatewayWithPool("faults-tr-leader", "faults-tr-leader-pool");
        OperatorProcess a = OperatorProcess.start(kit, "operator-a", 1);
        OperatorProcess b = null;
        try (UnitChurn churn = new UnitChurn(admin, "faults-tr-leader-pool")) {
            await().atMost(Duration.ofSeconds(90)).until(() -> "operator-a".equals(holder()));
            b = OperatorProcess.start(kit, "operator-b", 1);
            churn.populate(UNITS_HERE);
            await().atMost(CONVERGE).until(() -> unitRoutes(gateway, "faults-tr-leader-pool") == UNITS_HERE);
            try (Timeline timeline = Timeline.start(admin)) {
                long before = Timeline.now(admin);
                admin.resources(TexeraGateway.class).inNamespace("faults-tr-leader").withName("texera").delete();
                awaitFirstRouteDeleted(timeline, before);
                a.kill();
                await().atMost(Duration.ofSeconds(90)).until(() -> "operator-b".equals(holder()));
                await().atMost(CONVERGE).until(() -> admin.resources(TexeraGateway.class).inNamespace("faults-tr-leader")
                        .withName("texera").get() == null);
                assertThat(unitRoutes(gateway, "faults-tr-leader-pool")).isZero();
                assertThat(policyGone(gateway, "faults-tr-leader-pool")).isTrue();
                assertThat(timeline.firstUnitRouteWithoutItsPolicy(true)).as("a moment without ext-auth").isEmpty();
                record("9. gateway deleted, leader killed -9 in the middle, standby takes over", UNITS_HERE
                        + " routed units", "every route gone before the policy; the standby finished the cleanup");
            }
        } finally {
            stopAndRemove(b, a, "faults-tr-leader-pool", "faults-tr-leader");
        }
    }

    /** SIGTERM to the later replica (if it started), then the first; then the test's namespaces go. */
    private void stopAndRemove(OperatorProcess later, OperatorProcess first, String... namespaces) {
        if (later != null) {
            later.close();
        }
        first.close();
        for (String namespace : namespaces) {
            admin.namespaces().withName(namespace).delete();
        }
    }

    /** A gateway with {@code units} routed units in its pool, under one running operator process. */
    private GatewayRef routed(String namespace, String pool, int units, UnitChurn churn) {
        GatewayRef gateway = gatewayWithPool(namespace, pool);
        churn.populate(units);
        await().atMost(CONVERGE).until(() -> unitRoutes(gateway, pool) == units);
        return gateway;
    }

    @Test
    void poolMovedPolicyDeletedByHandInvalidSpecAndASecondTenantEachAcrossARestart() {
        OperatorProcess first = OperatorProcess.start(kit, "operator-0", 1);
        OperatorProcess second = null;
        kit.admit("faults-tr-more-pool2", "faults-tr-move");
        try (UnitChurn moving = new UnitChurn(admin, "faults-tr-move-pool");
                UnitChurn byHand = new UnitChurn(admin, "faults-tr-hand-pool");
                UnitChurn invalid = new UnitChurn(admin, "faults-tr-invalid-pool");
                UnitChurn tenant = new UnitChurn(admin, "faults-tr-tenant-pool")) {
            GatewayRef move = routed("faults-tr-move", "faults-tr-move-pool", 20, moving);
            GatewayRef hand = routed("faults-tr-hand", "faults-tr-hand-pool", 20, byHand);
            GatewayRef bad = routed("faults-tr-invalid", "faults-tr-invalid-pool", 20, invalid);
            GatewayRef admitted = routed("faults-tr-tenant", "faults-tr-tenant-pool", 20, tenant);
            try (Timeline timeline = Timeline.start(admin)) {
                long before = Timeline.now(admin);
                // Four transitions at once, then the operator killed in their middle and started again.
                SpecEdits.edit(admin, "faults-tr-move", "texera", r -> {
                    r.getSpec().getComputingUnits().setNamespace("faults-tr-more-pool2");
                    return r;
                });
                admin.resources(SecurityPolicy.class).inNamespace("faults-tr-hand-pool").withName(Names.unitPolicies(hand))
                        .delete();
                SpecEdits.edit(admin, "faults-tr-invalid", "texera", r -> {
                    RouteSpec noBackend = new RouteSpec(); // only the resolver refuses a new route without a backend
                    noBackend.setName("grafana");
                    noBackend.setPathPrefixes(List.of("/grafana"));
                    r.getSpec().setRoutes(List.of(noBackend));
                    return r;
                });
                kit.namespace("faults-tr-intruder");
                createGateway(admin, "faults-tr-intruder", "faults-tr-tenant-pool");
                awaitFirstRouteDeleted(timeline, before);
                first.kill();
                second = OperatorProcess.start(kit, "operator-0", 2);

                await().atMost(CONVERGE).until(() -> unitRoutes(move, "faults-tr-move-pool") == 0
                        && policyGone(move, "faults-tr-move-pool")
                        && unitRoutes(hand, "faults-tr-hand-pool") == 20 && !policyGone(hand, "faults-tr-hand-pool"));
                // The restarted operator has seen the invalid spec and the intruder: both say so in their status.
                await().atMost(CONVERGE).until(() -> {
                    var refused = admin.resources(TexeraGateway.class)
                            .inNamespace("faults-tr-intruder").withName("texera").get();
                    return refused.getStatus() != null && refused.getStatus().getConditions() != null
                            && refused.getStatus().getConditions().stream().anyMatch(c -> "ConsentMissing".equals(c.getReason()));
                });
                assertThat(timeline.firstUnitRouteWithoutItsPolicy(false)).as("a moment without ext-auth").isEmpty();
                assertThat(timeline.unitObjectsTouched(bad, before)).as("unit objects an invalid spec changed").isEmpty();
                assertThat(unitRoutes(bad, "faults-tr-invalid-pool")).isEqualTo(20);
                assertThat(timeline.effectsIn("faults-tr-tenant-pool", before)).as("effects in the pool of the intruder")
                        .isEmpty();
                assertThat(unitRoutes(admitted, "faults-tr-tenant-pool")).isEqualTo(20);
                record("11. pool moved, policy deleted by hand, invalid spec, a second tenant; operator killed -9 in the middle",
                        "4 gateways of 20 routed units each", "0 moments without ext-auth; 0 unit objects of the invalid "
                                + "spec's gateway touched; 0 changes or Events in the pool the intruder named; the hand-deleted "
                                + "policy and its 20 routes back");
            }
        } finally {
            stopAndRemove(second, first, "faults-tr-move", "faults-tr-move-pool", "faults-tr-more-pool2", "faults-tr-hand",
                    "faults-tr-hand-pool", "faults-tr-invalid", "faults-tr-invalid-pool", "faults-tr-tenant",
                    "faults-tr-tenant-pool", "faults-tr-intruder");
        }
    }
}
