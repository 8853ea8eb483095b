package org.apache.texera.gateway.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.apache.texera.gateway.model.GatewayRef;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Scenario 4: a throttled API server. A control plane of its own with API Priority and Fairness off, so the plain
 * in-flight limits apply, set low (4 requests, 1 mutating): under churn it answers 429 to some of the operator's
 * requests. The operator backs off and retries, keeps its Lease, and converges; its writes per minute are recorded.
 * The long form's load (about 2,400 operator writes a minute, plus the churn driver's) cannot pass a single mutating
 * slot on a 2-core machine, so it gets two; the short form keeps the tightest throttle.
 */
class ThrottledFaultsIT extends FaultsSupport {

    static final int IN_FLIGHT = LONG ? 8 : 4;
    static final int MUTATING_IN_FLIGHT = LONG ? 2 : 1;
    /**
     * One mutating request at a time, shared with the test's own pod writes: on a busy machine the 200 units once
     * took longer than the other scenarios' bound. They progress (refused writes are retried without a limit, so no
     * unit is given up on); only the bound is generous.
     */
    static final Duration THROTTLED_CONVERGE = CONVERGE.multipliedBy(3);

    @Test
    void throttledOperatorBacksOffAndConverges() {
        ApiServerKit throttled = ApiServerKit.standalone("throttled", true, "--enable-priority-and-fairness=false",
                "--max-requests-inflight=" + IN_FLIGHT, "--max-mutating-requests-inflight=" + MUTATING_IN_FLIGHT);
        KubernetesClient client = throttled.admin();
        try {
            gatewayWithPool(throttled, "faults-throttle", "faults-throttle-pool");
            UnitChecker checker = new UnitChecker(client, new GatewayRef("faults-throttle", "texera"),
                    "faults-throttle-pool");
            try (UnitChurn churn = new UnitChurn(client, "faults-throttle-pool");
                    OperatorProcess operator = OperatorProcess.start(throttled, throttled.apiServerUrl(),
                            throttled.operatorToken(), "operator-0", 4)) {
                long mark = throttled.audit().mark();
                long start = System.nanoTime();
                churn.populate(UNITS);
                long initial = converge(checker, THROTTLED_CONVERGE);
                int events = churn.run(EVENTS_PER_SECOND, CHURN).join();
                long afterChurn = converge(checker, THROTTLED_CONVERGE);
                double minutes = (System.nanoTime() - start) / 60e9;
                List<ApiServerAudit.Request> since = throttled.audit().since(mark);
                long throttledRequests = since.stream().filter(r -> r.code() == 429).count();
                long writes = throttled.audit().writesSince(mark).size();
                String log = operator.logText();
                assertThat(throttledRequests).as("the server did throttle the operator").isPositive();
                assertThat(operator.alive()).isTrue();
                assertThat(log).as("the operator's log").doesNotContain("lost the leader Lease");
                assertThat(throttled.audit().forbiddenSince(0)).as("403s").isEmpty();
                record("4. throttled API server (APF off, " + IN_FLIGHT + " in flight, " + MUTATING_IN_FLIGHT + " mutating)", load() + " (" + events
                        + " events, " + churn.failures() + " of the driver's refused)",
                        "initial " + UNITS + " units converged in " + initial + " ms",
                        "operator requests answered 429: " + throttledRequests + " of " + since.size(),
                        "operator writes: " + writes + " in " + String.format("%.1f", minutes) + " min = "
                                + Math.round(writes / minutes) + " per minute",
                        "0/0/0 " + afterChurn + " ms after the churn ended", "end: " + checker.check(),
                        "restarts: 0");
            }
        } finally {
            throttled.close();
        }
    }
}
