package org.apache.texera.gateway.apiserver;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Texera's and the kubelet's part under load, bounded in count and time: a pool of live unit pods, and pod events at
 * a fixed rate. An event deletes a unit and starts another with a fresh id (made Ready at once), or flips a unit's
 * Ready condition. Ids are never reused, so the checker never sees a duplicate.
 */
public final class UnitChurn implements AutoCloseable {
    private final KubernetesClient admin;
    private final String pool;
    private final Random random = new Random(42);
    private final List<String> live = new ArrayList<>();
    private final Map<String, Boolean> ready = new java.util.HashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final AtomicInteger events = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "unit-churn");
        t.setDaemon(true);
        return t;
    });

    public UnitChurn(KubernetesClient admin, String pool) {
        this.admin = admin;
        this.pool = pool;
    }

    /** Creates {@code count} Ready units, four requests at a time. */
    public void populate(int count) {
        ExecutorService workers = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<String>> created = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                long id = nextId.getAndIncrement();
                created.add(CompletableFuture.supplyAsync(() -> startUnit(id), workers));
            }
            created.forEach(f -> {
                String name = f.join();
                synchronized (this) {
                    live.add(name);
                    ready.put(name, true);
                }
            });
        } finally {
            workers.shutdownNow();
        }
    }

    /** Runs {@code perSecond} events a second for {@code duration}; completes when the last has run. */
    public CompletableFuture<Integer> run(int perSecond, Duration duration) {
        int total = (int) (perSecond * duration.toSeconds());
        CompletableFuture<Integer> done = new CompletableFuture<>();
        AtomicInteger scheduled = new AtomicInteger();
        Instant deadline = Instant.now().plus(duration.multipliedBy(3));
        ScheduledFuture<?>[] task = new ScheduledFuture<?>[1];
        task[0] = timer.scheduleAtFixedRate(() -> {
            if (scheduled.getAndIncrement() >= total || Instant.now().isAfter(deadline)) {
                task[0].cancel(false);
                done.complete(events.get());
                return;
            }
            try {
                event();
            } catch (KubernetesClientException e) {
                failures.incrementAndGet();
            }
            events.incrementAndGet();
        }, 0, 1_000_000 / perSecond, TimeUnit.MICROSECONDS);
        return done;
    }

    public int events() {
        return events.get();
    }

    /** Requests of the driver the API server refused or did not answer (expected only while the server is down). */
    public int failures() {
        return failures.get();
    }

    private void event() {
        String name;
        synchronized (this) {
            name = live.get(random.nextInt(live.size()));
        }
        if (random.nextBoolean()) {
            admin.pods().inNamespace(pool).withName(name).withGracePeriod(0).delete();
            String fresh = startUnit(nextId.getAndIncrement());
            synchronized (this) {
                live.remove(name);
                ready.remove(name);
                live.add(fresh);
                ready.put(fresh, true);
            }
        } else {
            boolean now;
            synchronized (this) {
                now = !ready.get(name);
                ready.put(name, now);
            }
            setReady(name, now);
        }
    }

    /** Units made Ready by this driver and not deleted or made not Ready since. */
    public synchronized int readyCount() {
        return (int) ready.values().stream().filter(r -> r).count();
    }

    private String startUnit(long id) {
        String name = createUnitPod(admin, pool, id);
        setReady(name, true);
        return name;
    }

    private void setReady(String name, boolean isReady) {
        setReady(admin, pool, name, isReady);
    }

    /** A unit pod as Texera creates it, not yet Ready; returns its name. */
    static String createUnitPod(KubernetesClient admin, String pool, long id) {
        String name = "computing-unit-" + id;
        admin.resource(new PodBuilder().withNewMetadata().withNamespace(pool).withName(name)
                .withLabels(Map.of("type", "computing-unit", "cuid", Long.toString(id), "name", name)).endMetadata()
                .withNewSpec().addNewContainer().withName("computing-unit-master").withImage("texera/computing-unit:test")
                .addNewPort().withContainerPort(8085).endPort().endContainer().endSpec().build()).create();
        return name;
    }

    /** What the kubelet writes when the container starts or stops. */
    static void setReady(KubernetesClient admin, String pool, String name, boolean isReady) {
        admin.pods().inNamespace(pool).withName(name).editStatus(p -> {
            p.getStatus().setPhase("Running");
            p.getStatus().setConditions(List.of(new PodConditionBuilder().withType("Ready")
                    .withStatus(isReady ? "True" : "False")
                    .withLastTransitionTime(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()).build()));
            return p;
        });
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
