package org.apache.texera.gateway.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import java.util.List;

import org.apache.texera.gateway.model.GatewayRef;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Scenario 7: watches expire (410 Gone) under churn and the informers relist. A control plane of its own serves
 * watches straight from etcd (no watch cache) and compacts etcd every 2 s; the operator reaches it through a relay
 * that the test cuts for 7 s (below the 10 s renew deadline, so the operator keeps its Lease) while the churn goes on.
 * Every re-watch from the last seen resourceVersion then finds it compacted (410 Gone) and relists: the audit log
 * shows the relists; units deleted or unrouted during the cut are not lost, nothing is stale or extra. No garbage
 * collector runs there: every deletion is the operator's own.
 */
class WatchExpiryFaultsIT extends FaultsSupport {

    @Test
    void expiredWatchesRelistAndNoUnitIsLostOrDuplicated() {
        ApiServerKit expiring = ApiServerKit.standalone("watch-expiry", true, "--watch-cache=false",
                "--etcd-compaction-interval=2s");
        TcpProxy relay = new TcpProxy(java.net.URI.create(expiring.apiServerUrl()).getPort());
        KubernetesClient client = expiring.admin();
        try {
            gatewayWithPool(expiring, "faults-expiry", "faults-expiry-pool");
            UnitChecker checker = new UnitChecker(client, new GatewayRef("faults-expiry", "texera"), "faults-expiry-pool");
            try (UnitChurn churn = new UnitChurn(client, "faults-expiry-pool");
                    OperatorProcess operator = OperatorProcess.start(expiring, relay.url(),
                            expiring.operatorToken(), "operator-0", 7)) {
                churn.populate(UNITS);
                long initial = converge(checker, CONVERGE);
                long mark = expiring.audit().mark();
                var running = churn.run(EVENTS_PER_SECOND, CHURN);
                await().atMost(CHURN.multipliedBy(2)).until(() -> churn.events() >= EVENTS_PER_SECOND * 5);
                relay.cut();
                int cutAt = churn.events();
                // The partition lasts 7 s (several compactions): the operator holds no connection all that time.
                await().during(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(15))
                        .until(() -> relay.openConnections() == 0);
                int duringCut = churn.events() - cutAt;
                relay.restore();
                int events = running.join();
                long afterChurn = converge(checker, CONVERGE);
                List<ApiServerAudit.Request> since = expiring.audit().since(mark);
                long podLists = since.stream().filter(r -> "list".equals(r.verb()) && "pods".equals(r.resource())).count();
                long podWatches = since.stream().filter(r -> "watch".equals(r.verb()) && "pods".equals(r.resource()))
                        .count();
                long lists = since.stream().filter(r -> "list".equals(r.verb())).count();
                String log = operator.logText();
                assertThat(podLists).as("relists of pods after expired watches").isGreaterThanOrEqualTo(1);
                assertThat(log).as("the operator's log").doesNotContain("lost the leader Lease");
                assertThat(operator.alive()).isTrue();
                assertThat(expiring.audit().forbiddenSince(0)).as("403s").isEmpty();
                record("7. watches expire (410 Gone) under churn, informers relist", load() + " (" + events
                        + " events); etcd compacted every 2 s, no watch cache; connections cut for 7 s (" + duringCut
                                + " pod events meanwhile)",
                        "initial " + UNITS + " units converged in " + initial + " ms",
                        "during churn and recovery: " + podWatches + " pod watches, " + podLists + " pod relists, "
                                + lists + " lists in all; 'too old resource version' in the operator log: "
                                + log.contains("too old resource version"),
                        "0/0/0 " + afterChurn + " ms after the churn ended", "end: " + checker.check(),
                        "operator writes: " + expiring.audit().writesSince(mark).size() + ", restarts: 0");
            }
        } finally {
            relay.close();
            expiring.close();
        }
    }
}
