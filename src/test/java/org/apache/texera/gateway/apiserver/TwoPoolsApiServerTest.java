package org.apache.texera.gateway.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.texera.gateway.model.GatewayRef;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Units routed in two pool namespaces only ({@code texera.operator.pool-namespaces}, the chart's
 * {@code watchNamespaces.computingUnits}), with Ready units in both before the operator starts: every unit of both
 * pools is routed. With the two namespaces as JOSDK's watched namespaces instead, as before, JOSDK ran one pod informer
 * per namespace on one shared item store, the second one's first list evicted the first one's pods, and the units of
 * one pool were never routed (this test failed so).
 */
@QuarkusTest
@TestProfile(TwoPoolsApiServerTest.TwoPools.class)
class TwoPoolsApiServerTest extends OperatorOnApiServer {
    static final List<String> POOLS = List.of("two-pools-a", "two-pools-b");
    static final int UNITS = 3;

    public static class TwoPools implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(new RealApiServerProfile().getConfigOverrides());
            config.put("texera.operator.pool-namespaces", String.join(",", POOLS));
            return config;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(UnitsBeforeStart.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    /** Both pools, a gateway for each, and their Ready units, all there before the operator starts. */
    public static class UnitsBeforeStart implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            ApiServerKit kit = ApiServerKit.get();
            KubernetesClient admin = kit.admin();
            for (String pool : POOLS) {
                FaultsSupport.gatewayWithPool(kit, pool + "-gw", pool);
                for (int i = 1; i <= UNITS; i++) {
                    UnitFixtures.setReady(admin, pool, UnitChurn.createUnitPod(admin, pool, i), true);
                }
            }
            return kit.operatorClientProperties();
        }

        @Override
        public void stop() {
            // The control plane is shared by every real-tier class.
        }
    }

    @Test
    void everyUnitOfBothPoolsIsRouted() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String pool : POOLS) {
                GatewayRef gateway = new GatewayRef(pool + "-gw", "texera");
                for (int i = 1; i <= UNITS; i++) {
                    assertThat(unitRoute(gateway, pool, i)).as("route of unit %d in %s", i, pool).isNotNull();
                }
            }
        });
    }
}
