package org.apache.texera.gateway.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.apache.texera.gateway.api.v1alpha1.ComputingUnitsSpec;
import org.apache.texera.gateway.api.v1alpha1.TexeraGateway;
import org.apache.texera.gateway.api.v1alpha1.TexeraGatewaySpec;
import org.apache.texera.gateway.api.v1alpha1.UnitCounts;
import org.apache.texera.gateway.model.GatewayRef;
import org.apache.texera.gateway.reconciler.gateway.Conditions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Base of the real-tier tests that run the operator (both controllers, in this JVM, as its ServiceAccount). The
 * tests act as a cluster administrator (and as Texera, and as Envoy Gateway) through the admin client; each test
 * fails if the API server answered any request of the operator (as {@link #operatorUser()}) with 403 while it ran.
 */
@ExtendWith(RequiresApiServer.class)
public abstract class OperatorOnApiServer {
    protected static final Duration WAIT = Duration.ofSeconds(30);
    protected ApiServerKit kit;
    protected KubernetesClient admin;
    private long auditMark;
    private Predicate<ApiServerAudit.Request> expectedForbidden = r -> false;

    @BeforeEach
    protected void markAudit() {
        kit = ApiServerKit.get();
        admin = kit.admin();
        auditMark = kit.audit().mark();
        expectedForbidden = r -> false;
    }

    /** 403s that the test provokes on purpose (a quota, a terminating namespace), not missing RBAC. */
    protected void expectForbidden(Predicate<ApiServerAudit.Request> which) {
        expectedForbidden = which;
    }

    @AfterEach
    protected void noRequestForbidden() {
        List<ApiServerAudit.Request> forbidden = kit.audit().forbiddenSince(auditMark, operatorUser()).stream()
                .filter(expectedForbidden.negate()).toList();
        assertThat(forbidden).as("requests of the operator's ServiceAccount refused with 403").isEmpty();
    }

    /** The user the operator under test runs as: the kit's ServiceAccount unless a test installs another. */
    protected String operatorUser() {
        return ApiServerKit.OPERATOR_USER;
    }

    protected long auditMark() {
        return auditMark;
    }

    protected TexeraGateway create(String namespace, String name, TexeraGatewaySpec spec) {
        kit.namespace(namespace);
        TexeraGateway gateway = new TexeraGateway();
        gateway.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
        gateway.setSpec(spec);
        return admin.resource(gateway).create();
    }

    protected TexeraGateway get(String namespace, String name) {
        return admin.resources(TexeraGateway.class).inNamespace(namespace).withName(name).get();
    }

    protected static TexeraGatewaySpec spec(String hostname) {
        TexeraGatewaySpec spec = new TexeraGatewaySpec();
        spec.setHostname(hostname);
        return spec;
    }

    /** A TexeraGateway "texera" in {@code namespace} whose units live in {@code pool}, which admits them. */
    protected GatewayRef gatewayWithPool(String namespace, String pool) {
        kit.admit(pool, namespace);
        return createGateway(namespace, pool);
    }

    /** A TexeraGateway "texera" in {@code namespace} whose units live in {@code pool}, consent or not. */
    protected GatewayRef createGateway(String namespace, String pool) {
        TexeraGatewaySpec spec = spec(namespace + ".example.com");
        ComputingUnitsSpec units = new ComputingUnitsSpec();
        units.setNamespace(pool);
        spec.setComputingUnits(units);
        create(namespace, "texera", spec);
        return new GatewayRef(namespace, "texera");
    }

    /** The unit counts of the TexeraGateway "texera" in the namespace. */
    protected UnitCounts unitCounts(String namespace) {
        var status = get(namespace, "texera").getStatus();
        assertThat(status).isNotNull();
        assertThat(status.getUnits()).as("status.units").isNotNull();
        return status.getUnits();
    }

    // --- Texera's part: the pods, and the kubelet's: their status ------------------------------------------------

    /** A computing-unit pod as Texera's computing-unit manager creates it. */
    protected Pod createPod(String namespace, String name, String cuid) {
        return admin.resource(new PodBuilder().withNewMetadata().withNamespace(namespace).withName(name)
                .withLabels(Map.of("type", "computing-unit", "cuid", cuid, "name", name)).endMetadata()
                .withNewSpec().addNewContainer().withName("computing-unit-master").withImage("texera/computing-unit:test")
                .addNewPort().withContainerPort(8085).endPort().endContainer().endSpec().build()).create();
    }

    /** What the kubelet writes when the container starts (Texera's units have no readiness probe) or stops. */
    protected void setReady(Pod pod, boolean ready) {
        UnitFixtures.setReady(admin, pod.getMetadata().getNamespace(), pod.getMetadata().getName(), ready);
    }

    /** A unit's route, unless it is gone or going. */
    protected HTTPRoute unitRoute(GatewayRef gateway, String pool, long id) {
        return UnitFixtures.route(admin, gateway, pool, id);
    }

    protected static Condition ready(TexeraGateway resource) {
        assertThat(resource).isNotNull();
        assertThat(resource.getStatus()).as("status of %s", resource.getMetadata().getName()).isNotNull();
        return Conditions.find(resource.getStatus().getConditions(), Conditions.READY);
    }
}
