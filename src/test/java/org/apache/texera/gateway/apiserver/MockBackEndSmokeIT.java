package org.apache.texera.gateway.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.texera.gateway.config.ShutdownHookWarningFilter;
import org.apache.texera.gateway.model.GatewayRef;
import org.apache.texera.gateway.model.Names;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * The packaged operator against fabric8's CRUD mock API server ({@link ApplyingCrudDispatcher}) instead of the kit's
 * kube-apiserver: it starts, takes its Lease, routes a Ready computing unit (a Service and an HTTPRoute owned by
 * the pod) and deletes both when the unit stops being Ready. Keeps the mock usable as a second back end for comparison; it proves nothing a real server would refuse.
 */
class MockBackEndSmokeIT {
    private static final String NAMESPACE = "mock-gw";
    private static final String POOL = "mock-pool";

    private BackEnd.Mock mock;
    private KubernetesClient admin;

    @BeforeEach
    void startMock() {
        OperatorProcess.assumeJar();
        mock = BackEnd.mock();
        admin = mock.admin();
    }

    @AfterEach
    void stopMock() {
        if (mock != null) {
            mock.close();
        }
    }

    @Test
    void thePackagedOperatorRoutesAUnitOnTheMock() throws IOException {
        mock.namespace(NAMESPACE);
        mock.admit(POOL, NAMESPACE);
        GatewayRef gateway = FaultsSupport.createGateway(admin, NAMESPACE, POOL);

        try (OperatorProcess operator = OperatorProcess.start(mock.url(), mock.operatorToken(), "mock-operator-0", 1,
                Map.of())) {
            long mark = mock.mark();
            String pod = UnitChurn.createUnitPod(admin, POOL, 1);
            UnitChurn.setReady(admin, POOL, pod, true);
            String unit = Names.unit(gateway, 1);
            String podUid = admin.pods().inNamespace(POOL).withName(pod).get().getMetadata().getUid();
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
                assertThat(operator.alive()).as("operator process (log: %s)", operator.log()).isTrue();
                Service service = admin.services().inNamespace(POOL).withName(unit).get();
                HTTPRoute route = admin.resources(HTTPRoute.class).inNamespace(POOL).withName(unit).get();
                assertThat(service).as("the unit's Service").isNotNull();
                assertThat(route).as("the unit's HTTPRoute").isNotNull();
                assertThat(List.of(service, route)).allSatisfy(o -> assertThat(o.getMetadata().getOwnerReferences())
                        .anySatisfy(ref -> assertThat(ref.getUid()).isEqualTo(podUid)));
            });
            UnitChecker checker = new UnitChecker(admin, gateway, POOL);
            assertThat(checker.check()).returns(1, UnitChecker.Drift::expected)
                    .returns(true, UnitChecker.Drift::converged);
            // The mock's write log (the benchmark's count on this back end) saw both applies, by the operator's token.
            assertThat(mock.operatorWritesSince(mark)).filteredOn(r -> r.name() != null && r.name().equals(unit))
                    .extracting(r -> r.verb() + " " + r.resource() + " " + r.namespace())
                    .containsExactlyInAnyOrder("patch services " + POOL, "patch httproutes " + POOL);

            // Not Ready, as the kubelet (and UnitRoutingBenchmark) reports it: a strategic-merge status patch.
            admin.pods().inNamespace(POOL).withName(pod).subresource("status").patch(
                    PatchContext.of(PatchType.STRATEGIC_MERGE), """
                            {"status":{"conditions":[{"type":"Ready","status":"False"}]}}""");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(admin.services().inNamespace(POOL).withName(unit).get()).as("the unit's Service").isNull();
                assertThat(admin.resources(HTTPRoute.class).inNamespace(POOL).withName(unit).get())
                        .as("the unit's HTTPRoute").isNull();
            });
            assertThat(checker.check()).returns(0, UnitChecker.Drift::expected)
                    .returns(true, UnitChecker.Drift::converged);
            // Leader election is on in this (prod) start, so JOSDK logged its shutdown-hook warning; the console
            // filter dropped it.
            assertThat(Files.readString(operator.log())).contains("Starting operator.")
                    .doesNotContain(ShutdownHookWarningFilter.MESSAGE);
        }
    }
}
