package org.apache.texera.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectorBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.quarkus.runtime.ShutdownEvent;

/**
 * Two replicas with the same Lease: only one leads, and the other takes over once the leader is gone. This runs the
 * fabric8 LeaderElector and LeaseLock that JOSDK's LeaderElectionManager builds from our configuration, against the
 * mock API server in CRUD mode (which stores Leases and refuses stale resourceVersions), with the durations scaled
 * down; the production durations are checked for the property that makes the hand-over safe.
 */
@EnableKubernetesMockClient(crud = true)
class LeaderElectionTest {
    private static final String NAMESPACE = "texera-gateway-operator";
    // Short, so the test is quick, yet long enough that a leader on a loaded 2-core CI machine still renews in time.
    private static final Duration LEASE = Duration.ofSeconds(6);
    private static final Duration RENEW_DEADLINE = Duration.ofSeconds(4);
    private static final Duration RETRY = Duration.ofMillis(500);

    KubernetesClient client;

    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Set<String> leaders = ConcurrentHashMap.newKeySet();
    private final AtomicInteger mostLeadersAtOnce = new AtomicInteger();

    @AfterEach
    void stopExecutor() {
        executor.shutdownNow();
    }

    @Test
    void productionConfigurationUsesOneLeaseInTheOperatorsNamespace() {
        LeaderElectionConfiguration configuration = new LeaderElection().leaderElectionConfiguration();
        assertThat(configuration.getLeaseName()).isEqualTo(LeaderElection.LEASE_NAME);
        // Unset: JOSDK takes the client's namespace, which in a pod is the service account's, the operator's own.
        assertThat(configuration.getLeaseNamespace()).isEmpty();
        // A leader that cannot renew gives up (and exits) before its Lease expires and a standby may take over.
        assertThat(configuration.getRenewDeadline()).isLessThan(configuration.getLeaseDuration());
        assertThat(configuration.getRetryPeriod()).isLessThan(configuration.getRenewDeadline());
        // JOSDK 5.1.5's own exit deadlocks a graceful shutdown; our callback exits instead (next test).
        assertThat(configuration.isExitOnStopLeading()).isFalse();
        assertThat(configuration.getLeaderCallbacks()).isPresent();
    }

    @Test
    void aLeaseLostWhileRunningEndsTheProcessButAShutdownDoesNot() {
        List<Integer> exits = new CopyOnWriteArrayList<>();
        LeaderElection running = new LeaderElection(exits::add);
        running.leaderElectionConfiguration().getLeaderCallbacks().orElseThrow().onStopLeading();
        assertThat(exits).containsExactly(1);

        exits.clear();
        LeaderElection stopping = new LeaderElection(exits::add);
        stopping.onShutdown(new ShutdownEvent());
        stopping.leaderElectionConfiguration().getLeaderCallbacks().orElseThrow().onStopLeading();
        assertThat(exits).isEmpty();
    }

    @Test
    void mockServerRefusesAStaleLeaseUpdateAsTheApiServerDoes() {
        // What keeps two candidates from both winning: an update based on an old resourceVersion is a conflict.
        Lease created = client.leases().inNamespace(NAMESPACE).resource(new LeaseBuilder().withNewMetadata()
                .withName("conflict").endMetadata().withNewSpec().withHolderIdentity("operator-0").endSpec().build())
                .create();
        Lease stale = new LeaseBuilder(created).editSpec().withHolderIdentity("operator-1").endSpec().build();
        client.leases().inNamespace(NAMESPACE).resource(new LeaseBuilder(created).editSpec().withLeaseTransitions(1)
                .endSpec().build()).update();

        assertThatThrownBy(() -> client.leases().inNamespace(NAMESPACE).resource(stale).update())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    }

    @Test
    void onlyOneReplicaLeadsAndTheOtherTakesOver() {
        CompletableFuture<?> first = elector("operator-0").start();
        CompletableFuture<?> second = elector("operator-1").start();

        await().atMost(Duration.ofSeconds(10)).until(() -> leaders.size() == 1);
        String leader = leaders.iterator().next();
        assertThat(lease().getSpec().getHolderIdentity()).isEqualTo(leader);
        // Several retry periods later, the standby still waits.
        await().during(RETRY.multipliedBy(4)).atMost(Duration.ofSeconds(5)).until(() -> leaders.equals(Set.of(leader)));

        // The leader goes away without releasing the Lease (JOSDK does not release it); the standby takes over once
        // the Lease expires.
        (leader.equals("operator-0") ? first : second).cancel(true);
        String standby = leader.equals("operator-0") ? "operator-1" : "operator-0";
        await().atMost(Duration.ofSeconds(30)).until(() -> leaders.equals(Set.of(standby)));
        assertThat(lease().getSpec().getHolderIdentity()).isEqualTo(standby);
        assertThat(mostLeadersAtOnce).hasValue(1);

        (leader.equals("operator-0") ? second : first).cancel(true);
    }

    private LeaderElector elector(String identity) {
        return new LeaderElectorBuilder(client, executor)
                .withConfig(new LeaderElectionConfigBuilder()
                        .withName(LeaderElection.LEASE_NAME)
                        .withLock(new LeaseLock(NAMESPACE, LeaderElection.LEASE_NAME, identity))
                        .withLeaseDuration(LEASE)
                        .withRenewDeadline(RENEW_DEADLINE)
                        .withRetryPeriod(RETRY)
                        .withReleaseOnCancel(false)
                        .withLeaderCallbacks(new LeaderCallbacks(
                                () -> {
                                    leaders.add(identity);
                                    mostLeadersAtOnce.accumulateAndGet(leaders.size(), Math::max);
                                },
                                () -> leaders.remove(identity),
                                newLeader -> {
                                }))
                        .build())
                .build();
    }

    private Lease lease() {
        return client.leases().inNamespace(NAMESPACE).withName(LeaderElection.LEASE_NAME).get();
    }
}
