package org.apache.texera.gateway.apiserver;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.apache.texera.gateway.api.v1alpha1.ComputingUnitsSpec;
import org.apache.texera.gateway.api.v1alpha1.TexeraGateway;
import org.apache.texera.gateway.api.v1alpha1.TexeraGatewaySpec;
import org.apache.texera.gateway.model.EffectiveSpec;
import org.apache.texera.gateway.model.GatewayRef;
import org.apache.texera.gateway.model.Names;
import org.apache.texera.gateway.model.SpecResolution;
import org.apache.texera.gateway.model.SpecResolver;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Texera's and the kubelet's part in the real tier (pod status), and how tests find a unit's objects. */
public final class UnitFixtures {
    private UnitFixtures() {
    }

    /** What the kubelet writes when the container starts (Texera's units have no readiness probe) or stops. */
    public static void setReady(KubernetesClient admin, String namespace, String name, boolean ready) {
        admin.pods().inNamespace(namespace).withName(name).editStatus(p -> {
            p.getStatus().setPhase("Running");
            p.getStatus().setConditions(List.of(new PodConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False")
                    .withLastTransitionTime(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()).build(),
                    new PodConditionBuilder().withType("PodScheduled").withStatus("True").build()));
            return p;
        });
    }

    /** A unit's HTTPRoute, or null when there is none or it is being deleted. */
    public static HTTPRoute route(KubernetesClient admin, GatewayRef gateway, String pool, long id) {
        return live(admin.resources(HTTPRoute.class).inNamespace(pool).withName(Names.unit(gateway, id)).get());
    }

    /** A unit's Service, or null when there is none or it is being deleted. */
    public static Service service(KubernetesClient admin, GatewayRef gateway, String pool, long id) {
        return live(admin.services().inNamespace(pool).withName(Names.unit(gateway, id)).get());
    }

    private static <T extends HasMetadata> T live(T object) {
        return object == null || object.getMetadata().getDeletionTimestamp() != null ? null : object;
    }

    /** The resolved spec of a default TexeraGateway with this pool, for tests that write unit objects themselves. */
    public static EffectiveSpec poolSpec(String gatewayNamespace, String pool) {
        TexeraGateway gateway = new TexeraGateway();
        gateway.setMetadata(new ObjectMetaBuilder().withNamespace(gatewayNamespace).withName("texera")
                .withUid(gatewayNamespace).build());
        TexeraGatewaySpec spec = new TexeraGatewaySpec();
        ComputingUnitsSpec units = new ComputingUnitsSpec();
        units.setNamespace(pool);
        spec.setComputingUnits(units);
        gateway.setSpec(spec);
        return ((SpecResolution.Valid) SpecResolver.resolve(gateway)).spec();
    }
}
