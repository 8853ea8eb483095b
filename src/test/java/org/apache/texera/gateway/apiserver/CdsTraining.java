package org.apache.texera.gateway.apiserver;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.texera.gateway.api.v1alpha1.TexeraGateway;
import org.apache.texera.gateway.model.GatewayRef;
import org.apache.texera.gateway.model.Names;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * A training start for the JVM's class-data-sharing archive: the packaged operator, started with
 * {@code -XX:ArchiveClassesAtExit}, does its everyday work against fabric8's CRUD mock over https (start, first lists,
 * a TexeraGateway reconciled, units routed and one unrouted, a spec change) and is stopped with SIGTERM, so the archive
 * holds the classes of that work as well as the boot's. An archive recorded with no API server at all (the offline
 * training of {@code src/main/docker/train-cds.sh}) holds only the boot's.
 */
final class CdsTraining {
    private static final String NAMESPACE = "texera";
    private static final String POOL = "texera-pool";
    private static final Duration STEP = Duration.ofMinutes(2);

    private CdsTraining() {
    }

    /** Records {@code archive} for the built jar with this JVM's java and the image's start-up flags. */
    static Path record(Path archive) {
        OperatorProcess.assumeJar();
        try {
            Files.createDirectories(archive.getParent());
            Files.deleteIfExists(archive);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> jvm = new ArrayList<>(OperatorProcess.IMAGE_JVM_ARGS);
        jvm.add("-XX:ArchiveClassesAtExit=" + archive);
        try (BackEnd.Mock mock = BackEnd.mock(true)) {
            KubernetesClient admin = mock.admin();
            mock.namespace(NAMESPACE);
            mock.admit(POOL, NAMESPACE);
            GatewayRef gateway = FaultsSupport.createGateway(admin, NAMESPACE, POOL);
            List<String> pods = List.of(UnitChurn.createUnitPod(admin, POOL, 1), UnitChurn.createUnitPod(admin, POOL, 2));
            pods.forEach(pod -> UnitChurn.setReady(admin, POOL, pod, true));
            try (OperatorProcess operator = OperatorProcess.start(mock.url(), mock.operatorToken(), "cds-training", 1,
                    Map.of(), jvm)) {
                awaitStatus(admin, operator, gateway, 1);
                awaitUnit(admin, operator, gateway, 1, true);
                awaitUnit(admin, operator, gateway, 2, true);
                UnitChurn.setReady(admin, POOL, pods.get(1), false);
                awaitUnit(admin, operator, gateway, 2, false);
                admin.resources(TexeraGateway.class).inNamespace(gateway.namespace()).withName(gateway.name())
                        .edit(g -> {
                            g.getSpec().setHostname("trained." + NAMESPACE + ".example.com");
                            return g;
                        });
                awaitStatus(admin, operator, gateway, 2);
            }
        }
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("the training start wrote no archive at " + archive);
        }
        return archive;
    }

    private static void awaitStatus(KubernetesClient admin, OperatorProcess operator, GatewayRef gateway,
            long generation) {
        await().atMost(STEP).pollInterval(Duration.ofMillis(50)).until(() -> {
            alive(operator);
            TexeraGateway seen = admin.resources(TexeraGateway.class).inNamespace(gateway.namespace())
                    .withName(gateway.name()).get();
            return seen.getStatus() != null && seen.getStatus().getObservedGeneration() != null
                    && seen.getStatus().getObservedGeneration() >= generation;
        });
    }

    private static void awaitUnit(KubernetesClient admin, OperatorProcess operator, GatewayRef gateway, long cuid,
            boolean routed) {
        String unit = Names.unit(gateway, cuid);
        await().atMost(STEP).pollInterval(Duration.ofMillis(50)).until(() -> {
            alive(operator);
            Service service = admin.services().inNamespace(POOL).withName(unit).get();
            HTTPRoute route = admin.resources(HTTPRoute.class).inNamespace(POOL).withName(unit).get();
            return routed ? service != null && route != null : service == null && route == null;
        });
    }

    private static void alive(OperatorProcess operator) {
        if (!operator.alive()) {
            throw new IllegalStateException("the training operator exited (log: " + operator.log() + ")");
        }
    }
}
