package org.apache.texera.gateway.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.texera.gateway.api.v1alpha1.ComputingUnitsSpec;
import org.apache.texera.gateway.api.v1alpha1.TexeraGateway;
import org.apache.texera.gateway.api.v1alpha1.TexeraGatewaySpec;
import org.apache.texera.gateway.config.LeaderElection;
import org.apache.texera.gateway.model.GatewayRef;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Base of the fault tests (*FaultsIT): the packaged operator as separate processes ({@link OperatorProcess}) against
 * the kit's API server, a bounded churn of unit pods ({@link UnitChurn}) and the drift checker ({@link UnitChecker}).
 * The short form runs in {@code verify}; {@code -Dfaults.long=true} runs the long form (1,000 units, 20 events/s for
 * 60 s). Figures go to {@code target/faults/results.txt}; docs/reliability.md quotes them. Only convergence within
 * generous bounds is asserted, never a duration.
 */
@ExtendWith(RequiresApiServer.class)
abstract class FaultsSupport {
    static final boolean LONG = Boolean.getBoolean("faults.long");
    static final int UNITS = LONG ? 1_000 : 200;
    static final int EVENTS_PER_SECOND = LONG ? 20 : 10;
    static final Duration CHURN = Duration.ofSeconds(LONG ? 60 : 20);
    static final Duration CONVERGE = Duration.ofSeconds(LONG ? 300 : 120);

    protected ApiServerKit kit;
    protected KubernetesClient admin;

    @BeforeEach
    void kit() {
        OperatorProcess.assumeJar();
        kit = ApiServerKit.get();
        admin = kit.admin();
        // A Lease left by an earlier test's killed replica would hold a new one back for a lease duration.
        admin.leases().inNamespace(ApiServerKit.OPERATOR_NAMESPACE).withName(LeaderElection.LEASE_NAME).delete();
    }

    protected GatewayRef gatewayWithPool(String namespace, String pool) {
        return gatewayWithPool(kit, namespace, pool);
    }

    /** A TexeraGateway {@code namespace/texera} whose pool has consented, on the given API server. */
    protected static GatewayRef gatewayWithPool(ApiServerKit kit, String namespace, String pool) {
        kit.admit(pool, namespace);
        kit.namespace(namespace);
        return createGateway(kit.admin(), namespace, pool);
    }

    /** The TexeraGateway {@code namespace/texera} with this pool, created through any client (the mock's too). */
    static GatewayRef createGateway(KubernetesClient admin, String namespace, String pool) {
        TexeraGatewaySpec spec = new TexeraGatewaySpec();
        spec.setHostname(namespace + ".example.com");
        ComputingUnitsSpec units = new ComputingUnitsSpec();
        units.setNamespace(pool);
        spec.setComputingUnits(units);
        TexeraGateway gateway = new TexeraGateway();
        gateway.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName("texera").build());
        gateway.setSpec(spec);
        admin.resource(gateway).create();
        return new GatewayRef(namespace, "texera");
    }

    /** Waits for 0 missing, 0 stale, 0 extra; returns how long it took (ms), failing with the last drift seen. */
    protected static long converge(UnitChecker checker, Duration atMost) {
        long start = System.nanoTime();
        AtomicReference<UnitChecker.Drift> last = new AtomicReference<>();
        await().atMost(atMost).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            last.set(checker.check());
            assertThat(last.get().converged()).as("%s", last.get()).isTrue();
        });
        return (System.nanoTime() - start) / 1_000_000;
    }

    protected static void record(String scenario, String... lines) {
        Path file = KitBinaries.project().resolve("target/faults/results.txt");
        try {
            Files.createDirectories(file.getParent());
            StringBuilder text = new StringBuilder("## " + scenario + (LONG ? " (long form)" : " (short form)") + "\n");
            for (String line : lines) {
                text.append("- ").append(line).append('\n');
            }
            Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            System.out.print(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected static String load() {
        return UNITS + " live units, " + EVENTS_PER_SECOND + " pod events/s for " + CHURN.toSeconds() + " s";
    }

    protected void noForbidden(long mark) {
        // RBAC's refusals only: admission's 403s after RBAC allowed (an Event in a namespace an earlier test is
        // deleting, "being terminated") are the cluster's normal answers, not missing rights.
        List<ApiServerAudit.Request> forbidden = kit.audit().forbiddenSince(mark).stream()
                .filter(ApiServerAudit.Request::deniedByRbac).toList();
        assertThat(forbidden).as("requests of the operator refused by RBAC").isEmpty();
    }
}
