package org.apache.texera.gateway.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import org.apache.texera.gateway.api.v1alpha1.TexeraGateway;
import org.apache.texera.gateway.api.v1alpha1.TexeraGatewaySpec;
import org.apache.texera.gateway.reconciler.gateway.Conditions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Base of the real-tier tests that run the operator (both controllers, in this JVM, as its ServiceAccount). The
 * tests act as a cluster administrator (and as Texera, and as Envoy Gateway) through the admin client; each test
 * fails if the API server answered any request of the operator with 403 while it ran.
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
        List<ApiServerAudit.Request> forbidden = kit.audit().forbiddenSince(auditMark).stream()
                .filter(expectedForbidden.negate()).toList();
        assertThat(forbidden).as("requests of the operator's ServiceAccount refused with 403").isEmpty();
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

    protected static Condition ready(TexeraGateway resource) {
        assertThat(resource).isNotNull();
        assertThat(resource.getStatus()).as("status of %s", resource.getMetadata().getName()).isNotNull();
        return Conditions.find(resource.getStatus().getConditions(), Conditions.READY);
    }
}
