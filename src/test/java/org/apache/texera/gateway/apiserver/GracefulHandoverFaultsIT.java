package org.apache.texera.gateway.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;

import org.apache.texera.gateway.config.LeaderElection;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;

/**
 * Scenario 10: a rollout stops the leader with SIGTERM while a standby runs. The leader hands its Lease back on the
 * way out (no holder, a one-second duration), so the standby takes over at its next try instead of after the Lease
 * expires. Only the handover is asserted; the pause is recorded, never asserted.
 */
class GracefulHandoverFaultsIT extends FaultsSupport {

    private Lease lease() {
        return admin.leases().inNamespace(ApiServerKit.OPERATOR_NAMESPACE).withName(LeaderElection.LEASE_NAME).get();
    }

    private String holder() {
        Lease lease = lease();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }

    @Test
    void theLeaderStoppedGracefullyHandsItsLeaseOver() {
        OperatorProcess a = OperatorProcess.start(kit, "operator-a", 1);
        OperatorProcess b = null;
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> "operator-a".equals(holder()));
            b = OperatorProcess.start(kit, "operator-b", 1);
            await().atMost(Duration.ofSeconds(90)).until(b::logText, log -> log.contains("Starting operator."));
            Instant stopped = Instant.now();
            a.close();
            assertThat(a.logText()).contains("released the leader Lease " + LeaderElection.LEASE_NAME);
            await().atMost(Duration.ofSeconds(60)).until(() -> "operator-b".equals(holder()));
            long pause = Duration.between(stopped, Instant.now()).toMillis();
            record("10. leader stopped with SIGTERM (a rollout), standby running",
                    "the Lease held by operator-b " + pause + " ms after SIGTERM to operator-a (lease "
                            + LeaderElection.LEASE_DURATION.toSeconds() + " s, retry " + LeaderElection.RETRY_PERIOD.toSeconds()
                            + " s); operator-a handed it back on the way out");
        } finally {
            if (b != null) {
                b.close();
            }
            a.close();
        }
    }
}
