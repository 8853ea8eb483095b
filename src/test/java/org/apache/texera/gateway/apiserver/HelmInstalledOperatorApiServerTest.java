package org.apache.texera.gateway.apiserver;

import static org.apache.texera.gateway.apiserver.HelmInstalledOperatorResource.GATEWAYS;
import static org.apache.texera.gateway.apiserver.HelmInstalledOperatorResource.NAMESPACE;
import static org.apache.texera.gateway.apiserver.HelmInstalledOperatorResource.POOL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.apache.texera.gateway.api.v1alpha1.ComputingUnitsSpec;
import org.apache.texera.gateway.api.v1alpha1.TexeraGatewaySpec;
import org.apache.texera.gateway.config.LeaderElection;
import org.apache.texera.gateway.envoygateway.SecurityPolicy;
import org.apache.texera.gateway.model.GatewayRef;
import org.apache.texera.gateway.model.Names;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The operator runs as the ServiceAccount `helm install` created, with the chart's RBAC, leader election and watched
 * namespaces: it leads (its Lease in the release namespace), and a TexeraGateway in a watched namespace converges,
 * units included, with no request refused (403). HelmChartApiServerTest checks the same RBAC verb by verb and what
 * `helm uninstall` leaves.
 */
@QuarkusTest
@TestProfile(HelmInstalledOperatorProfile.class)
class HelmInstalledOperatorApiServerTest extends OperatorOnApiServer {

    @Override
    protected String operatorUser() {
        return HelmInstalledOperatorResource.USER;
    }

    @Test
    void theOperatorLeadsWithTheChartsLeaseRole() {
        await().atMost(WAIT).untilAsserted(() -> {
            Lease lease = admin.leases().inNamespace(NAMESPACE).withName(LeaderElection.LEASE_NAME).get();
            assertThat(lease).as("the leader Lease in the release namespace").isNotNull();
            assertThat(lease.getSpec().getHolderIdentity()).isNotBlank();
        });
        // Renewed by the chart's ServiceAccount (every LeaderElection.RETRY_PERIOD), as the API server saw it.
        await().atMost(WAIT).untilAsserted(() -> assertThat(kit.audit().since(auditMark(), operatorUser()))
                .as("requests of the chart's ServiceAccount").anySatisfy(request -> {
                    assertThat(request.resource()).isEqualTo("leases");
                    assertThat(request.namespace()).isEqualTo(NAMESPACE);
                    assertThat(request.code()).isEqualTo(200);
                }));
    }

    @Test
    void aTexeraGatewayInAWatchedNamespaceConvergesUnitsIncluded() {
        // One outside the watched namespaces first: the operator, told by the chart's values, never sees it.
        kit.namespace("helm-run-unwatched");
        create("helm-run-unwatched", "texera", spec("unwatched.example.com"));

        GatewayRef ref = new GatewayRef(GATEWAYS, "texera");
        TexeraGatewaySpec spec = spec("helm.example.com");
        ComputingUnitsSpec units = new ComputingUnitsSpec();
        units.setNamespace(POOL);
        spec.setComputingUnits(units);
        kit.admit(POOL, GATEWAYS);
        create(GATEWAYS, "texera", spec);

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(admin.resources(Gateway.class).inNamespace(GATEWAYS).withName("texera").get()).isNotNull();
            assertThat(admin.resources(HTTPRoute.class).inNamespace(GATEWAYS).list().getItems()).hasSize(9);
            assertThat(admin.resources(SecurityPolicy.class).inNamespace(POOL).withName(Names.unitPolicies(ref)).get())
                    .isNotNull();
            assertThat(ready(get(GATEWAYS, "texera")).getReason()).isEqualTo("WaitingForEnvoyGateway");
        });
        new EnvoyGatewayStandIn(admin).programAll(GATEWAYS, "texera", true);
        await().atMost(WAIT).untilAsserted(() -> assertThat(ready(get(GATEWAYS, "texera")))
                .returns("True", Condition::getStatus));

        Pod pod = createPod(POOL, "computing-unit-5", "5");
        setReady(pod, true);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(unitRoute(ref, POOL, 5)).isNotNull();
            assertThat(get(GATEWAYS, "texera").getStatus().getUnits().routed()).isEqualTo(1);
        });

        assertThat(get("helm-run-unwatched", "texera").getStatus()).as("status of a TexeraGateway outside the watched "
                + "namespaces").isNull();
        assertThat(admin.resources(Gateway.class).inNamespace("helm-run-unwatched").list().getItems()).isEmpty();
        admin.resource(get("helm-run-unwatched", "texera")).delete();

        admin.resource(get(GATEWAYS, "texera")).delete();
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(get(GATEWAYS, "texera")).isNull();
            assertThat(admin.resources(SecurityPolicy.class).inNamespace(POOL).list().getItems()).isEmpty();
        });
    }
}
