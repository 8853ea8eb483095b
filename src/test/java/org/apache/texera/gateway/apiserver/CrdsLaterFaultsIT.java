package org.apache.texera.gateway.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.texera.gateway.api.v1alpha1.TexeraGateway;
import org.apache.texera.gateway.model.GatewayRef;
import org.apache.texera.gateway.reconciler.gateway.Conditions;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Scenario 6: the operator starts on a cluster without the Gateway API and Envoy Gateway CRDs (a control plane of
 * its own, so the shared one keeps them), says so in status naming what is missing, and converges once an
 * administrator installs them, without a restart.
 */
class CrdsLaterFaultsIT extends FaultsSupport {

    @Test
    void missingCrdsAreReportedAndTheOperatorConvergesOnceInstalled() {
        ApiServerKit bare = ApiServerKit.standalone("no-upstream-crds", false);
        KubernetesClient client = bare.admin();
        try {
            gatewayWithPool(bare, "faults-crds", "faults-crds-pool");
            GatewayRef gateway = new GatewayRef("faults-crds", "texera");
            try (UnitChurn pods = new UnitChurn(client, "faults-crds-pool");
                    OperatorProcess operator = OperatorProcess.start(bare, bare.apiServerUrl(), bare.operatorToken(),
                            "operator-0", 6)) {
                pods.populate(10);
                AtomicReference<Condition> ready = new AtomicReference<>();
                await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
                    ready.set(ready(client));
                    assertThat(ready.get()).isNotNull().returns(Conditions.REASON_CRDS_MISSING, Condition::getReason);
                });
                String message = ready.get().getMessage();
                assertThat(message).contains("gateway.networking.k8s.io").contains("gateway.envoyproxy.io");

                bare.installUpstreamCrds();
                long start = System.nanoTime();
                UnitChecker checker = new UnitChecker(client, gateway, "faults-crds-pool");
                await().atMost(CONVERGE).untilAsserted(() -> {
                    assertThat(client.resources(Gateway.class).inNamespace("faults-crds").withName("texera").get())
                            .as("the Gateway").isNotNull();
                    assertThat(ready(client)).isNotNull().extracting(Condition::getReason)
                            .isNotEqualTo(Conditions.REASON_CRDS_MISSING);
                });
                long converged = converge(checker, CONVERGE) + (System.nanoTime() - start) / 1_000_000;
                assertThat(operator.alive()).as("the same process, never restarted").isTrue();
                assertThat(bare.audit().forbiddenSince(0)).as("403s").isEmpty();
                record("6. CRDs missing at start, installed later",
                        "1 TexeraGateway, 10 Ready units, on a second API server without the upstream CRDs",
                        "status while missing: " + Conditions.REASON_CRDS_MISSING + ": " + message,
                        "after installing the CRDs: Gateway created, status past CRDsMissing and units 0/0/0 within "
                                + converged + " ms (polled at 500 ms)",
                        "end: " + checker.check(), "operator writes: " + bare.audit().writesSince(0).size(),
                        "restarts: 0");
            }
        } finally {
            bare.close();
        }
    }

    private static Condition ready(KubernetesClient client) {
        TexeraGateway gateway = client.resources(TexeraGateway.class).inNamespace("faults-crds").withName("texera").get();
        return gateway == null || gateway.getStatus() == null ? null
                : Conditions.find(gateway.getStatus().getConditions(), Conditions.READY);
    }
}
