package org.apache.texera.gateway.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.texera.gateway.config.LeaderElection;
import org.apache.texera.gateway.model.GatewayRef;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;

/**
 * Scenario 2: two replicas with leader election; the leader killed -9 mid-churn. The standby takes the Lease once it
 * expires and converges; the audit log (each replica has its own User-Agent) shows that the two never wrote in
 * overlapping windows.
 */
class LeaderFailoverFaultsIT extends FaultsSupport {

    @Test
    void theStandbyTakesOverAndTheReplicasNeverWriteAtTheSameTime() {
        GatewayRef gateway = gatewayWithPool("faults-leader", "faults-leader-pool");
        UnitChecker checker = new UnitChecker(admin, gateway, "faults-leader-pool");
        OperatorProcess a = OperatorProcess.start(kit, "operator-a", 1);
        OperatorProcess b = null;
        try (UnitChurn churn = new UnitChurn(admin, "faults-leader-pool")) {
            await().atMost(Duration.ofSeconds(90)).until(() -> "operator-a".equals(holder()));
            b = OperatorProcess.start(kit, "operator-b", 1);
            long mark = kit.audit().mark();
            churn.populate(UNITS);
            long initial = converge(checker, CONVERGE);

            CompletableFuture<Integer> running = churn.run(EVENTS_PER_SECOND, CHURN);
            int killAt = (int) (EVENTS_PER_SECOND * CHURN.toSeconds() / 2);
            await().atMost(CHURN.multipliedBy(2)).until(() -> churn.events() >= killAt);
            assertThat(b.alive()).as("the standby is running").isTrue();
            a.kill();
            Instant killed = Instant.now();
            await().atMost(Duration.ofSeconds(90)).until(() -> "operator-b".equals(holder()));
            long takeover = Duration.between(killed, Instant.now()).toMillis();
            int events = running.join();
            long afterChurn = converge(checker, CONVERGE);

            List<ApiServerAudit.Request> writes = kit.audit().writesSince(mark).stream()
                    // The Lease is the election itself; JOSDK's start-up access review is a question, not a write.
                    .filter(r -> !List.of("leases", "selfsubjectrulesreviews", "selfsubjectaccessreviews")
                            .contains(r.resource()))
                    .toList();
            List<ApiServerAudit.Request> byA = writes.stream().filter(r -> r.userAgent().endsWith("/operator-a")).toList();
            List<ApiServerAudit.Request> byB = writes.stream().filter(r -> r.userAgent().endsWith("/operator-b")).toList();
            assertThat(byA).as("the leader's writes").isNotEmpty();
            assertThat(byB).as("the new leader's writes").isNotEmpty();
            assertThat(byA.size() + byB.size()).as("every write is one replica's").isEqualTo(writes.size());
            Instant lastOfA = byA.stream().map(ApiServerAudit.Request::completed).max(Instant::compareTo).orElseThrow();
            Instant firstOfB = byB.stream().map(ApiServerAudit.Request::received).min(Instant::compareTo).orElseThrow();
            assertThat(lastOfA).as("the killed leader's last write ends before the standby's first").isBefore(firstOfB);
            assertThat(b.alive()).as("the new leader is still running").isTrue();
            noForbidden(mark);
            record("2. leader killed -9, standby takes over", load() + " (" + events + " events)",
                    "initial " + UNITS + " units converged in " + initial + " ms",
                    "Lease held by operator-b " + takeover + " ms after operator-a was killed (lease "
                            + LeaderElection.LEASE_DURATION.toSeconds() + " s, renew "
                            + LeaderElection.RENEW_DEADLINE.toSeconds() + " s, retry "
                            + LeaderElection.RETRY_PERIOD.toSeconds() + " s)",
                    "writes: operator-a " + byA.size() + " (last ends " + lastOfA + "), operator-b " + byB.size()
                            + " (first starts " + firstOfB + "): gap " + Duration.between(lastOfA, firstOfB).toMillis()
                            + " ms, no overlap",
                    "0/0/0 " + afterChurn + " ms after the churn ended", "end: " + checker.check(),
                    "restarts: none besides the kill");
        } finally {
            a.close();
            if (b != null) {
                b.close();
            }
            admin.namespaces().withName("faults-leader-pool").delete();
            admin.namespaces().withName("faults-leader").delete();
        }
    }

    private String holder() {
        Lease lease = admin.leases().inNamespace(ApiServerKit.OPERATOR_NAMESPACE).withName(LeaderElection.LEASE_NAME).get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }
}
