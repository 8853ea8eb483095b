package org.apache.texera.gateway.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.apache.texera.gateway.model.GatewayRef;
import org.junit.jupiter.api.Test;

/** Scenario 1: the operator killed with SIGKILL in the middle of unit churn, then started again (a container restart). */
class KillRestartFaultsIT extends FaultsSupport {

    @Test
    void killedMidChurnThenRestartedConverges() {
        GatewayRef gateway = gatewayWithPool("faults-kill", "faults-kill-pool");
        UnitChecker checker = new UnitChecker(admin, gateway, "faults-kill-pool");
        OperatorProcess first = OperatorProcess.start(kit, "operator-0", 1);
        try (UnitChurn churn = new UnitChurn(admin, "faults-kill-pool")) {
            churn.populate(UNITS);
            long initial = converge(checker, CONVERGE);
            long mark = kit.audit().mark();

            CompletableFuture<Integer> running = churn.run(EVENTS_PER_SECOND, CHURN);
            int killAt = (int) (EVENTS_PER_SECOND * CHURN.toSeconds() / 2);
            await().atMost(CHURN.multipliedBy(2)).until(() -> churn.events() >= killAt);
            first.kill();
            // The same HOSTNAME: the kubelet restarting the container in the same pod, which renews its own Lease.
            OperatorProcess second = OperatorProcess.start(kit, "operator-0", 2);
            long restarted = System.nanoTime();
            try {
                int events = running.join();
                long churnEnded = System.nanoTime();
                long afterChurn = converge(checker, CONVERGE);
                long afterRestart = (System.nanoTime() - restarted) / 1_000_000;
                int writes = kit.audit().writesSince(mark).size();
                assertThat(second.alive()).as("the restarted operator is still running").isTrue();
                noForbidden(mark);
                record("1. kill -9 mid-churn, restart", load() + " (" + events + " events, " + churn.failures()
                        + " refused)", "initial " + UNITS + " units converged in " + initial + " ms",
                        "killed after " + killAt + " events; restarted at once (same identity)",
                        "0/0/0 " + afterChurn + " ms after the churn ended, " + afterRestart + " ms after the restart",
                        "end: " + checker.check(), "operator writes during churn and recovery: " + writes,
                        "restarts: 1 (the kill); churn ran for " + (churnEnded - restarted) / 1_000_000
                                + " ms after the restart");
            } finally {
                second.close();
            }
        } finally {
            first.close();
            admin.namespaces().withName("faults-kill-pool").delete();
            admin.namespaces().withName("faults-kill").delete();
        }
    }
}
