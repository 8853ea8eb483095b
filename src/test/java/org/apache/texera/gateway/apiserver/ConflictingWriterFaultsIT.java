package org.apache.texera.gateway.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.texera.gateway.model.GatewayRef;
import org.apache.texera.gateway.model.Names;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;

/**
 * Scenario 5: a foreign controller fights over one unit's HTTPRoute, changing its backend port every 100 ms. Each edit
 * is reverted, the operator writes that route at most once per foreign edit (no hot loop of its own), and it emits no
 * storm of Events.
 */
class ConflictingWriterFaultsIT extends FaultsSupport {
    private static final Duration FIGHT = Duration.ofSeconds(LONG ? 60 : 10);
    private static final Duration PERIOD = Duration.ofMillis(100);
    /** The foreign writer sets ports from here up, one new port per edit, so a watch can count its edits. */
    private static final int FOREIGN_PORTS = 20_000;

    @Test
    void foreignEditsAreRevertedWithoutAWriteOrEventStorm() {
        GatewayRef gateway = gatewayWithPool("faults-fight", "faults-fight-pool");
        UnitChecker checker = new UnitChecker(admin, gateway, "faults-fight-pool");
        String route = Names.unit(gateway, 1);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        // The edits the server applied, from a watch: the writer's own count misses an edit whose request failed on
        // its side (a timeout, a dropped connection) after the server had applied it.
        Set<Integer> foreignPortsSeen = ConcurrentHashMap.newKeySet();
        AtomicReference<String> versionSeen = new AtomicReference<>();
        try (OperatorProcess operator = OperatorProcess.start(kit, "operator-0", 5);
                UnitChurn units = new UnitChurn(admin, "faults-fight-pool");
                Watch watch = watchPorts(route, foreignPortsSeen, versionSeen)) {
            units.populate(5);
            converge(checker, CONVERGE);
            int port = port(route);
            int eventsBefore = events();
            long mark = kit.audit().mark();

            int total = (int) (FIGHT.toMillis() / PERIOD.toMillis());
            AtomicInteger tried = new AtomicInteger();
            AtomicInteger edits = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            CompletableFuture<Void> done = new CompletableFuture<>();
            Instant deadline = Instant.now().plus(FIGHT.multipliedBy(3));
            ScheduledFuture<?>[] task = new ScheduledFuture<?>[1];
            task[0] = timer.scheduleAtFixedRate(() -> {
                int n = tried.getAndIncrement();
                if (n >= total || Instant.now().isAfter(deadline)) {
                    task[0].cancel(false);
                    done.complete(null);
                    return;
                }
                try {
                    admin.resources(HTTPRoute.class).inNamespace("faults-fight-pool").withName(route).edit(r -> {
                        r.getSpec().getRules().get(0).getBackendRefs().get(0).setPort(FOREIGN_PORTS + n);
                        return r;
                    });
                    edits.incrementAndGet();
                } catch (KubernetesClientException e) {
                    refused.incrementAndGet(); // on the writer's side; the watch tells whether the server applied it
                }
            }, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
            done.join();

            long start = System.nanoTime();
            await().atMost(CONVERGE).until(() -> port(route) == port);
            long reverted = (System.nanoTime() - start) / 1_000_000;
            converge(checker, CONVERGE);
            String lastVersion = admin.resources(HTTPRoute.class).inNamespace("faults-fight-pool").withName(route).get()
                    .getMetadata().getResourceVersion();
            await().atMost(CONVERGE).until(() -> lastVersion.equals(versionSeen.get()));
            int applied = foreignPortsSeen.size();
            List<ApiServerAudit.Request> writes = kit.audit().writesSince(mark).stream()
                    .filter(r -> "httproutes".equals(r.resource()) && route.equals(r.name())).toList();
            int allWrites = kit.audit().writesSince(mark).size();
            int newEvents = events() - eventsBefore;
            assertThat(writes).as("the operator reverted the edits").isNotEmpty();
            assertThat(writes.size()).as("operator writes to the route, per foreign edit the server applied")
                    .isLessThanOrEqualTo(applied);
            assertThat(newEvents).as("Events emitted while fighting").isLessThanOrEqualTo(10);
            assertThat(operator.alive()).isTrue();
            assertThat(operator.logText()).as("the log has no warning per start that no one can act on")
                    .doesNotContain("unstable version");
            noForbidden(mark);
            record("5. a foreign writer edits one unit route every 100 ms for " + FIGHT.toSeconds() + " s",
                    "5 units; " + applied + " foreign edits applied (seen on a watch); the writer counted " + edits.get()
                            + " done and " + refused.get() + " failed",
                    "operator writes to that route: " + writes.size() + " (all operator writes: " + allWrites + ")",
                    "last edit reverted " + reverted + " ms after the writer stopped",
                    "Events emitted: " + newEvents, "end: " + checker.check());
        } finally {
            timer.shutdownNow();
            admin.namespaces().withName("faults-fight-pool").delete();
            admin.namespaces().withName("faults-fight").delete();
        }
    }

    /** Watches the route: each foreign port it ever had, and the last resourceVersion seen. */
    private Watch watchPorts(String route, Set<Integer> foreignPortsSeen, AtomicReference<String> versionSeen) {
        return admin.resources(HTTPRoute.class).inNamespace("faults-fight-pool").withName(route).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, HTTPRoute seen) {
                int seenPort = seen.getSpec().getRules().get(0).getBackendRefs().get(0).getPort();
                if (seenPort >= FOREIGN_PORTS) {
                    foreignPortsSeen.add(seenPort);
                }
                versionSeen.set(seen.getMetadata().getResourceVersion());
            }

            @Override
            public void onClose(WatcherException cause) {
                // a closed watch stops counting; the wait for the last version then fails the test
            }
        });
    }

    private int port(String route) {
        return admin.resources(HTTPRoute.class).inNamespace("faults-fight-pool").withName(route).get().getSpec().getRules()
                .get(0).getBackendRefs().get(0).getPort();
    }

    private int events() {
        return admin.v1().events().inNamespace("faults-fight-pool").list().getItems().size()
                + admin.v1().events().inNamespace("faults-fight").list().getItems().size();
    }
}
