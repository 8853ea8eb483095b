package org.apache.texera.gateway.config;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;

/**
 * Two replicas run; one holds the Lease and reconciles, the other waits with warm caches. QOSDK uses this bean only
 * in the profiles of quarkus.operator-sdk.activate-leader-election-for-profiles (prod), so tests and dev mode run
 * without a Lease. The Lease lives in the operator's own namespace (the client's namespace, as JOSDK infers it) and
 * the holder identity is the pod name. docs/operations.md derives the failover time from the durations below.
 */
@Singleton
public class LeaderElection {
    private static final Logger LOG = Logger.getLogger(LeaderElection.class);

    public static final String LEASE_NAME = "texera-gateway-operator-leader";
    /** How long a Lease stays valid after its last renewal; a standby takes over no sooner. */
    public static final Duration LEASE_DURATION = Duration.ofSeconds(15);
    /** A leader that could not renew for this long stops leading (and exits), before its Lease can expire. */
    public static final Duration RENEW_DEADLINE = Duration.ofSeconds(10);
    /** How often the leader renews and a standby tries to acquire. */
    public static final Duration RETRY_PERIOD = Duration.ofSeconds(2);
    /** Each of the two requests that hand the Lease back on shutdown gives up after this long. */
    static final int RELEASE_TIMEOUT_MILLIS = 2_000;

    private final AtomicBoolean shuttingDown = new AtomicBoolean();
    private final AtomicBoolean leading = new AtomicBoolean();
    private final IntConsumer exit;
    private final Leadership leadership;
    private final OperatorConfig config;
    private final KubernetesClient client;

    public LeaderElection() {
        this(Quarkus::asyncExit, null, null, null);
    }

    @jakarta.inject.Inject
    public LeaderElection(Leadership leadership, OperatorConfig config, KubernetesClient client) {
        this(Quarkus::asyncExit, leadership, config, client);
    }

    LeaderElection(IntConsumer exit) {
        this(exit, null, null, null);
    }

    LeaderElection(IntConsumer exit, Leadership leadership) {
        this(exit, leadership, null, null);
    }

    LeaderElection(IntConsumer exit, Leadership leadership, OperatorConfig config, KubernetesClient client) {
        this.exit = exit;
        this.leadership = leadership;
        this.config = config;
        this.client = client;
    }

    /**
     * JOSDK's own exit on a lost Lease is off: JOSDK 5.1.5 also calls System.exit(1) when the operator stops the
     * elector during a graceful shutdown, from inside the JVM's shutdown hook, where it blocks forever, and SIGTERM
     * would then always end in SIGKILL (fixed upstream in JOSDK 5.3.5, operator-framework/java-operator-sdk#3383).
     * {@link #stoppedLeading()} exits instead, only when the Lease is lost while running.
     */
    @Produces
    @Singleton
    LeaderElectionConfiguration leaderElectionConfiguration() {
        String namespace = config == null ? null : config.leaseNamespace().orElse(null);
        return new LeaderElectionConfiguration(LEASE_NAME, namespace, LEASE_DURATION, RENEW_DEADLINE, RETRY_PERIOD, null,
                new LeaderCallbacks(this::startedLeading, this::stoppedLeading, leader -> {
                }), false);
    }

    /** Runs before QOSDK's own shutdown observer, which stops the operator and with it the elector. */
    void onShutdown(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        shuttingDown.set(true);
    }

    /**
     * Runs after QOSDK's shutdown observer has stopped the operator (and with it the elector and every reconcile):
     * the Lease this replica held is handed back, as client-go's ReleaseOnCancel does (no holder, a one-second
     * duration), so a standby takes over at its next try instead of after the Lease expires. JOSDK 5.1.5 does not.
     */
    void releaseLease(@Observes @Priority(Interceptor.Priority.PLATFORM_AFTER + 100) ShutdownEvent event) {
        String identity = System.getenv("HOSTNAME");
        if (!leading.get() || client == null || identity == null) {
            return;
        }
        // QOSDK may have closed the operator's client on stop: a short-lived one with the same configuration, without
        // retries and with short timeouts. Handing back is best effort; cut off from the API server, it must not hold
        // the shutdown past the pod's grace period (the Lease then expires, as after a kill).
        Config once = new ConfigBuilder(client.getConfiguration()).withRequestRetryBackoffLimit(0)
                .withConnectionTimeout(RELEASE_TIMEOUT_MILLIS).withRequestTimeout(RELEASE_TIMEOUT_MILLIS).build();
        try (KubernetesClient releasing = new KubernetesClientBuilder().withConfig(once).build()) {
            String namespace = config.leaseNamespace().orElse(client.getConfiguration().getNamespace());
            Lease lease = releasing.leases().inNamespace(namespace).withName(LEASE_NAME).get();
            if (lease == null || lease.getSpec() == null || !identity.equals(lease.getSpec().getHolderIdentity())) {
                return;
            }
            String patch = "{\"metadata\":{\"resourceVersion\":\"" + lease.getMetadata().getResourceVersion()
                    + "\"},\"spec\":{\"holderIdentity\":\"\",\"leaseDurationSeconds\":1,\"renewTime\":\""
                    + MICRO_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)) + "\"}}";
            releasing.leases().inNamespace(namespace).withName(LEASE_NAME).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
            LOG.info("released the leader Lease " + LEASE_NAME + ": a standby takes over at its next try");
        } catch (RuntimeException e) {
            LOG.infof("could not release the leader Lease (%s); a standby takes over when it expires", e.getMessage());
        }
    }

    /** The Lease's MicroTime format. */
    private static final DateTimeFormatter MICRO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX");

    /**
     * A replica that lost the Lease while running must stop reconciling at once: it exits (Quarkus's normal
     * shutdown, so in-flight reconciles get their termination timeout), and the kubelet restarts it as a standby.
     */
    void startedLeading() {
        leading.set(true);
        if (leadership != null) {
            leadership.started();
        }
    }

    void stoppedLeading() {
        if (!shuttingDown.get()) {
            leading.set(false);
        }
        if (leadership != null) {
            leadership.stopped();
        }
        if (shuttingDown.get()) {
            LOG.info("stopped leading: shutting down");
            return;
        }
        LOG.error("lost the leader Lease " + LEASE_NAME + "; exiting so that only the new leader reconciles");
        exit.accept(1);
    }
}
