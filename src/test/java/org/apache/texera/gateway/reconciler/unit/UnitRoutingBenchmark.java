package org.apache.texera.gateway.reconciler.unit;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.ObjectName;

import jakarta.inject.Inject;

import org.apache.texera.gateway.api.v1alpha1.ComputingUnitsSpec;
import org.apache.texera.gateway.api.v1alpha1.TexeraGateway;
import org.apache.texera.gateway.api.v1alpha1.TexeraGatewaySpec;
import org.apache.texera.gateway.api.v1alpha1.UnitCounts;
import org.apache.texera.gateway.config.OperatorConfig;
import org.apache.texera.gateway.kube.ApiDiscovery;
import org.apache.texera.gateway.kube.DesiredStateMatcher;
import org.apache.texera.gateway.kube.EventRecorder;
import org.apache.texera.gateway.kube.ObjectWriter;
import org.apache.texera.gateway.model.EffectiveSpec;
import org.apache.texera.gateway.model.GatewayRef;
import org.apache.texera.gateway.model.Labels;
import org.apache.texera.gateway.model.Names;
import org.apache.texera.gateway.model.SpecResolution;
import org.apache.texera.gateway.model.SpecResolver;
import org.apache.texera.gateway.model.UnitModel;
import org.apache.texera.gateway.reconciler.gateway.TexeraGatewayReconciler;
import org.apache.texera.gateway.reconciler.gateway.TexeraGatewayStatusWriter;
import org.apache.texera.gateway.testing.UpstreamCrds;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/**
 * The unit hot path, measured against fabric8's in-process mock API server. Not a test: its name matches none of
 * surefire's default includes, so {@code ./mvnw verify} never runs it. Run it with {@link #COMMAND}; it overwrites
 * {@code docs/benchmarks.md} (keeping the hand-written findings between the markers).
 * <p>
 * All figures come from one run: (a) latency from a pod turning Ready to its Service and HTTPRoute arriving on the
 * benchmark's own watch, (b) the floor (the benchmark creating the same two objects itself), (c) writes counted at
 * the mock server, per appearance, per disappearance and across an in-process operator restart, (d) heap per unit
 * (the restarted operator's heap delta), (e) churn.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestProfile(UnitRoutingBenchmark.Quiet.class)
class UnitRoutingBenchmark {
    static final String COMMAND = "./mvnw -B test -Dtest=UnitRoutingBenchmark -Dsurefire.failIfNoSpecifiedTests=false";
    private static final Logger LOG = Logger.getLogger(UnitRoutingBenchmark.class);
    private static final String GW_NS = "bench";
    private static final String GW_NAME = "texera";
    private static final String POOL = "bench-pool";
    private static final String BENCH_HEADER = "X-Texera-Bench";
    private static final GatewayRef GW = new GatewayRef(GW_NS, GW_NAME);

    private static final int SMALL = Integer.getInteger("bench.small", 100);
    private static final int LARGE = Integer.getInteger("bench.large", 5000);
    private static final int SAMPLES = Integer.getInteger("bench.samples", 200);
    private static final int CHURN_UNITS = Integer.getInteger("bench.churn.units", 1000);
    private static final int CHURN_RATE = Integer.getInteger("bench.churn.rate", 20);
    private static final int CHURN_SECONDS = Integer.getInteger("bench.churn.seconds", 60);
    private static final int DELETIONS = 50;
    private static final int SAMPLE_PODS = 20;
    private static final Duration SAMPLE_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Production settings where the test profile differs: debug logging of every write, and the test profile's
     * one-second orphan sweep, would be part of what is measured.
     */
    public static class Quiet implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.log.category.\"org.apache.texera\".level", "INFO",
                    "quarkus.log.category.\"io.javaoperatorsdk\".level", "WARN",
                    "texera.operator.orphan-sweep-interval", "10m");
        }
    }

    @Inject
    KubernetesClient client;
    @KubernetesTestServer
    KubernetesServer server;
    @Inject
    Operator operator;
    @Inject
    UnitReconciler cdiUnitReconciler;
    @Inject
    UnitObjectCache cdiObjects;
    @Inject
    UnitStatusBoard cdiBoard;
    @Inject
    MeterRegistry meters;
    @Inject
    ObjectWriter writer;
    @Inject
    EventRecorder events;
    @Inject
    ApiDiscovery discovery;
    @Inject
    OperatorConfig config;
    @Inject
    Clock clock;

    /** The benchmark's own client: its requests carry a header, so the mock's request log tells them from the operator's. */
    private KubernetesClient bench;
    private EffectiveSpec spec;
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    /** Operator-managed unit objects present, by kind and name, as the benchmark's watch sees them. */
    private final Set<String> liveServices = ConcurrentHashMap.newKeySet();
    private final Set<String> liveRoutes = ConcurrentHashMap.newKeySet();
    /** ADDED and DELETED events of operator-managed unit objects: the writes that took effect. */
    private final LongAdder added = new LongAdder();
    private final LongAdder deleted = new LongAdder();
    private volatile Expectation expectation;
    /** The pods the benchmark made, by name, as last written; ids of deleted pods for reuse. */
    private final Map<String, Pod> pods = new ConcurrentHashMap<>();
    private final List<Long> deletedIds = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final AtomicInteger podSeq = new AtomicInteger();
    private final List<Running> retired = new ArrayList<>();
    private Running running;
    private final StringBuilder report = new StringBuilder();
    private final Map<String, String> verdicts = new LinkedHashMap<>();

    /** One operator incarnation: the JOSDK Operator and the unit controller's own state. */
    private record Running(Operator operator, UnitReconciler unit, UnitObjectCache objects, UnitStatusBoard board) {
        void stop() {
            operator.stop();
            unit.stop();
            objects.stop();
        }
    }

    private record Latencies(List<Double> operatorMs, List<Double> operatorAfterWriteMs, List<Double> floorMs) {
    }

    private static final class Expectation {
        final Set<String> keys;
        final Map<String, Long> at = new ConcurrentHashMap<>();
        final CountDownLatch latch;

        Expectation(Set<String> keys) {
            this.keys = keys;
            this.latch = new CountDownLatch(keys.size());
        }

        long last() {
            return at.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        }
    }

    @Test
    void measure() throws Exception {
        Instant started = Instant.now();
        UpstreamCrds.install(client);
        var config = new ConfigBuilder(client.getConfiguration()).build();
        config.setCustomHeaders(Map.of(BENCH_HEADER, "1"));
        bench = new KubernetesClientBuilder().withConfig(config).build();
        running = new Running(operator, cdiUnitReconciler, cdiObjects, cdiBoard);
        ScheduledExecutorService drainer = Executors.newSingleThreadScheduledExecutor();
        drainer.scheduleWithFixedDelay(this::drain, 100, 100, TimeUnit.MILLISECONDS);
        try {
            setUp();
            List<Watch> watches = watch();
            try {
                run();
            } finally {
                watches.forEach(Watch::close);
            }
        } finally {
            drainer.shutdownNow();
            bench.close();
        }
        LOG.infof("benchmark done in %s", Duration.between(started, Instant.now()));
    }

    private void run() throws Exception {
        Map<String, Object> figures = new LinkedHashMap<>();
        // (a)+(b)+(c) at the small count
        ensureLive(SMALL);
        Map<String, Long> before = snapshot();
        long[] effectiveBefore = { added.sum(), deleted.sum() };
        Latencies small = sample(SAMPLES);
        Map<String, Long> smallWrites = diff(before, snapshot());
        long[] smallEffective = { added.sum() - effectiveBefore[0], deleted.sum() - effectiveBefore[1] };
        Map<String, Long> deleteWrites = deletions(DELETIONS);
        ensureLive(SMALL);
        Restart smallRestart = restart(SMALL);

        // (e) churn at 1,000
        ensureLive(CHURN_UNITS);
        Churn churn = churn();

        // (a)+(b) at the large count, then (c) restart and (d) heap
        Instant fillStart = Instant.now();
        ensureLive(LARGE);
        Duration fill = Duration.between(fillStart, Instant.now());
        before = snapshot();
        effectiveBefore = new long[] { added.sum(), deleted.sum() };
        Latencies large = sample(SAMPLES);
        Map<String, Long> largeWrites = diff(before, snapshot());
        long[] largeEffective = { added.sum() - effectiveBefore[0], deleted.sum() - effectiveBefore[1] };
        Restart largeRestart = restart(LARGE);

        write(small, smallWrites, smallEffective, deleteWrites, smallRestart, churn, large, largeWrites, largeEffective, largeRestart,
                fill);
    }

    // --- set-up and observation -------------------------------------------------------------------------------------

    private void setUp() {
        for (String ns : List.of(GW_NS, POOL)) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                    .createOr(existing -> existing.update());
        }
        TexeraGatewaySpec gatewaySpec = new TexeraGatewaySpec();
        gatewaySpec.setHostname("texera.example.com");
        ComputingUnitsSpec units = new ComputingUnitsSpec();
        units.setNamespace(POOL);
        gatewaySpec.setComputingUnits(units);
        TexeraGateway gateway = new TexeraGateway();
        gateway.setMetadata(new ObjectMetaBuilder().withNamespace(GW_NS).withName(GW_NAME).build());
        gateway.setSpec(gatewaySpec);
        gateway = bench.resource(gateway).create();
        spec = ((SpecResolution.Valid) SpecResolver.resolve(gateway)).spec();
        // The sample pods, not Ready: they turn Ready and back for every latency sample.
        for (int i = 0; i < SAMPLE_PODS; i++) {
            createPod("sample-" + i, 900_000 + i, false);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> running.unit().cachedPod(POOL, "sample-" + (SAMPLE_PODS - 1)).isPresent());
    }

    private List<Watch> watch() {
        return List.of(bench.services().inNamespace(POOL).watch(watcher("Service", liveServices)),
                bench.resources(HTTPRoute.class).inNamespace(POOL).watch(watcher("HTTPRoute", liveRoutes)));
    }

    private <T extends HasMetadata> Watcher<T> watcher(String kind, Set<String> live) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, T object) {
                long now = System.nanoTime();
                String name = object.getMetadata().getName();
                var labels = object.getMetadata().getLabels();
                if (labels != null && Labels.COMPONENT_UNIT.equals(labels.get(Labels.COMPONENT))) {
                    if (action == Action.ADDED) {
                        live.add(name);
                        added.increment();
                    } else if (action == Action.DELETED) {
                        live.remove(name);
                        deleted.increment();
                    }
                }
                Expectation e = expectation;
                String key = action + "/" + kind + "/" + name;
                if (e != null && e.keys.contains(key) && e.at.putIfAbsent(key, now) == null) {
                    e.latch.countDown();
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                LOG.warn("benchmark watch closed", cause);
            }
        };
    }

    private Expectation expect(String... keys) {
        Expectation e = new Expectation(Set.of(keys));
        expectation = e;
        return e;
    }

    private static void awaitLatch(Expectation e, String what) throws InterruptedException {
        if (!e.latch.await(SAMPLE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(what + ": only " + e.at.keySet() + " of " + e.keys + " arrived");
        }
    }

    // --- request counting at the mock -------------------------------------------------------------------------------

    private static final Pattern RESOURCE = Pattern.compile("/namespaces/[^/]+/([^/?]+)(?:/[^/?]+(?:/([^/?]+))?)?");

    private synchronized void drain() {
        try {
            RecordedRequest request;
            while ((request = server.getKubernetesMockServer().takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
                String method = request.getMethod();
                if ("GET".equals(method)) {
                    continue;
                }
                Matcher m = RESOURCE.matcher(request.getPath());
                String kind = m.find() ? m.group(1) + (m.group(2) == null ? "" : "/" + m.group(2)) : request.getPath();
                String actor = request.getHeader(BENCH_HEADER) != null ? "bench" : "operator";
                requests.computeIfAbsent(actor + " " + method + " " + kind, k -> new LongAdder()).increment();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Map<String, Long> snapshot() {
        drain();
        Map<String, Long> copy = new HashMap<>();
        requests.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    /** The operator's writes between two snapshots, by "METHOD kind". */
    private static Map<String, Long> diff(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> d = new java.util.TreeMap<>();
        after.forEach((k, v) -> {
            long n = v - before.getOrDefault(k, 0L);
            if (n != 0 && k.startsWith("operator ")) {
                d.put(k.substring("operator ".length()), n);
            }
        });
        return d;
    }

    private static long sumKinds(Map<String, Long> writes, String... kinds) {
        return writes.entrySet().stream().filter(e -> Set.of(kinds).contains(e.getKey().substring(e.getKey().indexOf(' ') + 1)))
                .mapToLong(Map.Entry::getValue).sum();
    }

    private static long sum(Map<String, Long> writes, String method, String... kinds) {
        return writes.entrySet().stream().filter(e -> e.getKey().startsWith(method + " "))
                .filter(e -> Set.of(kinds).contains(e.getKey().substring(e.getKey().indexOf(' ') + 1)))
                .mapToLong(Map.Entry::getValue).sum();
    }

    // --- pods -----------------------------------------------------------------------------------------------------

    private Pod createPod(String name, long id, boolean ready) {
        Pod pod = new PodBuilder().withNewMetadata().withNamespace(POOL).withName(name)
                .withLabels(Map.of("type", "computing-unit", "cuid", Long.toString(id), "name", name)).endMetadata()
                .withNewSpec().addNewContainer().withName("computing-unit-master").withImage("texera/cu")
                .addNewEnv().withName("JWT_SECRET").withValue("s3cret").endEnv().endContainer().endSpec()
                .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus(ready ? "True" : "False")
                .withLastTransitionTime(Instant.now().toString()).endCondition()
                .addNewCondition().withType("PodScheduled").withStatus("True").endCondition().endStatus().build();
        Pod created = bench.resource(pod).create();
        pods.put(name, created);
        return created;
    }

    private Pod setReady(String name, boolean ready) {
        Pod pod = new PodBuilder(pods.get(name)).editStatus().editMatchingCondition(c -> "Ready".equals(c.getType()))
                .withStatus(ready ? "True" : "False").withLastTransitionTime(Instant.now().toString()).endCondition().endStatus()
                .build();
        Pod updated = bench.resource(pod).updateStatus();
        pods.put(name, updated);
        return updated;
    }

    private void deletePod(String name) {
        Pod pod = pods.remove(name);
        bench.pods().inNamespace(POOL).withName(name).delete();
        deletedIds.add(id(pod));
    }

    private static long id(Pod pod) {
        return Long.parseLong(pod.getMetadata().getLabels().get("cuid"));
    }

    private static boolean ready(Pod pod) {
        return pod.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private List<String> podNames(boolean ready) {
        return pods.values().stream().filter(p -> !p.getMetadata().getName().startsWith("sample-"))
                .filter(p -> ready(p) == ready).map(p -> p.getMetadata().getName()).sorted().toList();
    }

    /** Adds Ready pods (4 at a time) until this many units are routed, and waits until the watch sees all of them. */
    private void ensureLive(int units) throws Exception {
        int missing = units - podNames(true).size();
        if (missing > 0) {
            ExecutorService creators = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < missing; i++) {
                    done.add(creators.submit(() -> {
                        int id = nextId.getAndIncrement();
                        return createPod("cu-" + id + "-" + podSeq.incrementAndGet(), id, true);
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                creators.shutdown();
            }
        }
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(500))
                .until(() -> liveRoutes.size() >= units && liveServices.size() >= units);
        LOG.infof("%d units live", units);
    }

    // --- (a) + (b) --------------------------------------------------------------------------------------------------

    private Latencies sample(int samples) throws Exception {
        List<Double> op = new ArrayList<>(), opAfter = new ArrayList<>(), floor = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            String name = "sample-" + (i % SAMPLE_PODS);
            long id = 900_000 + (i % SAMPLE_PODS);
            String unit = Names.unit(GW, id);

            Expectation e = expect("ADDED/Service/" + unit, "ADDED/HTTPRoute/" + unit);
            long t0 = System.nanoTime();
            Pod pod = setReady(name, true);
            long t1 = System.nanoTime();
            awaitLatch(e, "operator sample " + i);
            op.add((e.last() - t0) / 1e6);
            opAfter.add((e.last() - t1) / 1e6);

            String floorName = "floor-" + (i % SAMPLE_PODS);
            UnitModel.UnitPod unitPod = new UnitModel.UnitPod(name, pod.getMetadata().getUid(), id);
            Service service = floorCopy(UnitModel.service(spec, unitPod), floorName);
            HTTPRoute route = floorCopy(UnitModel.route(spec, unitPod), floorName);
            e = expect("ADDED/Service/" + floorName, "ADDED/HTTPRoute/" + floorName);
            t0 = System.nanoTime();
            bench.resource(service).create();
            bench.resource(route).create();
            awaitLatch(e, "floor sample " + i);
            floor.add((e.last() - t0) / 1e6);

            // Back to the starting line: the unit unrouted and the floor objects gone.
            e = expect("DELETED/Service/" + unit, "DELETED/HTTPRoute/" + unit, "DELETED/Service/" + floorName,
                    "DELETED/HTTPRoute/" + floorName);
            setReady(name, false);
            bench.resource(service).delete();
            bench.resource(route).delete();
            awaitLatch(e, "reset " + i);
        }
        expectation = null;
        return new Latencies(op, opAfter, floor);
    }

    /** The same object the operator writes, under another name and without our labels (so the operator ignores it). */
    private static <T extends HasMetadata> T floorCopy(T object, String name) {
        object.getMetadata().setName(name);
        object.getMetadata().setLabels(Map.of("bench", "floor"));
        return object;
    }

    // --- (c) deletions and restart ----------------------------------------------------------------------------------

    private Map<String, Long> deletions(int count) throws Exception {
        List<String> victims = podNames(true).subList(0, count);
        List<String> keys = new ArrayList<>();
        for (String name : victims) {
            String unit = Names.unit(GW, id(pods.get(name)));
            keys.add("DELETED/Service/" + unit);
            keys.add("DELETED/HTTPRoute/" + unit);
        }
        Map<String, Long> before = snapshot();
        Expectation e = expect(keys.toArray(String[]::new));
        victims.forEach(this::deletePod);
        awaitLatch(e, "deletions");
        expectation = null;
        // Let the coalesced status write (every second) land inside the window.
        await().pollDelay(Duration.ofSeconds(2)).until(() -> true);
        return diff(before, snapshot());
    }

    private record Restart(int units, int pods, Map<String, Long> writes, Duration toAllReconciled, long heapBefore,
            long heapObjects, long heapAfter, Map<String, long[]> topClasses, String statusBefore, String statusAfter) {
    }

    /**
     * Stops the running operator (the JOSDK Operator and the unit controller's own threads and informers), keeps a
     * reference to it so that nothing it held is collected in between, measures the heap, and starts a new Operator
     * with new reconciler instances, a new pod store and new informers on the same configuration service: what a
     * process restart does, minus the JVM.
     */
    @SuppressWarnings("unchecked")
    private Restart restart(int units) throws Exception {
        String statusBefore = awaitStatusSettled();
        Running old = running;
        ControllerConfiguration<TexeraGateway> gatewayConfig = (ControllerConfiguration<TexeraGateway>) old.operator()
                .getRegisteredController(TexeraGatewayReconciler.NAME).orElseThrow().getConfiguration();
        ControllerConfiguration<Pod> unitConfig = (ControllerConfiguration<Pod>) old.operator()
                .getRegisteredController(UnitReconciler.NAME).orElseThrow().getConfiguration();
        old.stop();
        retired.add(old);
        Map<String, Long> histogramBefore = histogram();
        long heapBefore = histogramBefore.get("<total>");
        Map<String, Long> before = snapshot();

        UnitObjectCache objects = new UnitObjectCache(client, discovery);
        // Started first (the first reconcile would start it anyway) to weigh the Service/HTTPRoute caches on their own.
        objects.ensureStarted();
        long heapObjects = histogram().get("<total>");
        UnitStatusBoard board = new UnitStatusBoard(meters);
        UnitReconciler unit = new UnitReconciler(writer, events, board, objects, meters, clock, config);
        // The status writer reads the unit counts from the board: it must be the new board's.
        TexeraGatewayStatusWriter status = new TexeraGatewayStatusWriter(client, clock, events, board, meters);
        TexeraGatewayReconciler gateway = new TexeraGatewayReconciler(discovery, writer, status, events, client, meters,
                config, board);
        Operator next = new Operator(old.operator().getConfigurationService());
        next.register(gateway, gatewayConfig);
        // QOSDK only takes its own configuration class, which has no copy-with: give the (stopped) old configuration
        // a new pod store. The old informer keeps its reference to the old store, which stays reachable.
        var itemStore = io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration.class.getDeclaredField("itemStore");
        itemStore.setAccessible(true);
        itemStore.set(unitConfig.getInformerConfig(), new PrunedPodStore());
        next.register(unit, unitConfig);
        running = new Running(next, unit, objects, board);
        int podCount = pods.size();
        double reconcilesBefore = reconciles();
        long t0 = System.nanoTime();
        next.start();
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> reconciles() - reconcilesBefore >= podCount && board.known());
        Duration toAll = Duration.ofNanos(System.nanoTime() - t0);
        // The orphan sweep and the coalesced status flush run on a one-second tick: give them a few.
        await().pollDelay(Duration.ofSeconds(4)).until(() -> true);
        Map<String, Long> writes = diff(before, snapshot());
        Map<String, Long> histogramAfter = histogram();
        Map<String, long[]> top = new LinkedHashMap<>();
        histogramAfter.entrySet().stream().filter(e -> !e.getKey().equals("<total>"))
                .map(e -> Map.entry(e.getKey(), e.getValue() - histogramBefore.getOrDefault(e.getKey(), 0L)))
                .sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).limit(10)
                .forEach(e -> top.put(e.getKey(), new long[] { e.getValue() }));
        Map<String, Long> groups = new java.util.TreeMap<>();
        histogramAfter.forEach((k, v) -> {
            if (!k.equals("<total>")) {
                String group = k.startsWith("io.fabric8.kubernetes.api.model.gatewayapi.") ? "fabric8 Gateway API model classes"
                        : k.startsWith("io.fabric8.kubernetes.api.model.") ? "fabric8 core model classes"
                        : k.startsWith("java.util.") ? "java.util collections" : null;
                if (group != null) {
                    groups.merge(group, v - histogramBefore.getOrDefault(k, 0L), Long::sum);
                }
            }
        });
        groups.forEach((k, v) -> top.put("(all " + k + ")", new long[] { v }));
        meters.getMeters().stream().collect(java.util.stream.Collectors.groupingBy(m -> m.getId().getName(),
                java.util.stream.Collectors.counting())).entrySet().stream().sorted((x, y) -> Long.compare(y.getValue(), x.getValue()))
                .limit(4).forEach(e -> top.put("(meters named " + e.getKey() + ": count)", new long[] { e.getValue() }));
        String statusAfter = awaitStatusSettled();
        return new Restart(units, podCount, writes, toAll, heapBefore, heapObjects, histogramAfter.get("<total>"), top, statusBefore,
                statusAfter);
    }

    /**
     * Waits until the gateway's status shows the current counts (no coalesced status write still pending); returns
     * null when it does, or what it shows instead after 30 s.
     */
    private String awaitStatusSettled() {
        UnitCounts wanted = new UnitCounts(podNames(true).size(), podNames(false).size() + SAMPLE_PODS, 0);
        UnitCounts[] shown = { null };
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
                TexeraGateway g = bench.resources(TexeraGateway.class).inNamespace(GW_NS).withName(GW_NAME).get();
                shown[0] = g.getStatus() == null ? null : g.getStatus().getUnits();
                return wanted.equals(shown[0]);
            });
            return null;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            String mismatch = "status shows " + shown[0] + ", the pods call for " + wanted;
            LOG.warn(mismatch);
            return mismatch;
        }
    }

    private double reconciles() {
        return meters.find("texera_gateway_reconcile_seconds").tag("controller", UnitReconciler.NAME).timers().stream()
                .mapToDouble(t -> t.count()).sum();
    }

    /** Live bytes by class after a full GC (the DiagnosticCommand behind jcmd GC.class_histogram), "<total>" included. */
    private static Map<String, Long> histogram() throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] { new String[0] }, new String[] { String[].class.getName() });
        Map<String, Long> bytes = new HashMap<>();
        Pattern line = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
        for (String l : text.split("\n")) {
            Matcher m = line.matcher(l);
            if (m.find()) {
                bytes.merge(m.group(3), Long.parseLong(m.group(2)), Long::sum);
            } else if (l.startsWith("Total")) {
                String[] parts = l.trim().split("\\s+");
                bytes.put("<total>", Long.parseLong(parts[2]));
            }
        }
        return bytes;
    }

    // --- (e) churn --------------------------------------------------------------------------------------------------

    private record Churn(int live, Map<String, Integer> events, int errors, Duration took, Duration converged, boolean didConverge,
            Diff last, Map<String, Long> writes) {
    }

    private record Diff(int expected, int missing, int stale, int extra) {
        int bad() {
            return missing + stale + extra;
        }
    }

    private Churn churn() throws Exception {
        int total = CHURN_RATE * CHURN_SECONDS;
        Random random = new Random(42);
        Map<String, Integer> counts = new ConcurrentHashMap<>();
        AtomicInteger issued = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(1);
        Map<String, Long> before = snapshot();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        long t0 = System.nanoTime();
        ticker.scheduleAtFixedRate(() -> {
            if (issued.get() >= total) {
                done.countDown();
                return;
            }
            issued.incrementAndGet();
            try {
                churnEvent(random, counts);
            } catch (RuntimeException e) {
                errors.incrementAndGet();
                LOG.warn("churn event failed", e);
            }
        }, 0, 1000 / CHURN_RATE, TimeUnit.MILLISECONDS);
        try {
            if (!done.await(CHURN_SECONDS * 3L, TimeUnit.SECONDS)) {
                LOG.warn("churn did not finish in time");
            }
        } finally {
            ticker.shutdownNow();
            ticker.awaitTermination(10, TimeUnit.SECONDS);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        long c0 = System.nanoTime();
        Diff[] last = { null };
        boolean converged;
        try {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                last[0] = compare();
                return last[0].bad() == 0;
            });
            converged = true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            converged = false;
        }
        Duration convergence = Duration.ofNanos(System.nanoTime() - c0);
        Map<String, Long> writes = diff(before, snapshot());
        LOG.infof("churn: converged=%s after %s, %s", converged, convergence, last[0]);
        return new Churn(podNames(true).size(), new java.util.TreeMap<>(counts), errors.get(), took, convergence, converged, last[0],
                writes);
    }

    private void churnEvent(Random random, Map<String, Integer> counts) {
        List<String> ready = podNames(true);
        List<String> notReady = podNames(false);
        int kind = random.nextInt(4);
        if (kind == 2 && notReady.isEmpty()) {
            kind = 1;
        }
        switch (kind) {
            case 0 -> {
                long id;
                String what = "new Ready pod";
                synchronized (deletedIds) {
                    if (!deletedIds.isEmpty() && random.nextBoolean()) {
                        id = deletedIds.remove(random.nextInt(deletedIds.size()));
                        what = "new Ready pod, id of a deleted one";
                    } else {
                        id = nextId.getAndIncrement();
                    }
                }
                createPod("cu-" + id + "-" + podSeq.incrementAndGet(), id, true);
                counts.merge(what, 1, Integer::sum);
            }
            case 1 -> {
                setReady(ready.get(random.nextInt(ready.size())), false);
                counts.merge("Ready -> not Ready", 1, Integer::sum);
            }
            case 2 -> {
                setReady(notReady.get(random.nextInt(notReady.size())), true);
                counts.merge("not Ready -> Ready", 1, Integer::sum);
            }
            default -> {
                List<String> all = new ArrayList<>(ready);
                all.addAll(notReady);
                deletePod(all.get(random.nextInt(all.size())));
                counts.merge("deleted", 1, Integer::sum);
            }
        }
    }

    /** The unit objects the final pod states call for, against those in the mock: missing, stale, extra. */
    private Diff compare() {
        Map<String, Pod> expected = new HashMap<>();
        pods.values().stream().filter(UnitRoutingBenchmark::ready).forEach(p -> expected.put(Names.unit(GW, id(p)), p));
        int missing = 0, stale = 0, extra = 0;
        for (Class<? extends HasMetadata> kind : List.of(Service.class, HTTPRoute.class)) {
            Map<String, HasMetadata> actual = new HashMap<>();
            bench.resources(kind).inNamespace(POOL).withLabel(Labels.COMPONENT, Labels.COMPONENT_UNIT).list().getItems()
                    .forEach(o -> actual.put(o.getMetadata().getName(), o));
            for (var entry : expected.entrySet()) {
                HasMetadata object = actual.remove(entry.getKey());
                Pod pod = entry.getValue();
                if (object == null) {
                    missing++;
                    continue;
                }
                UnitModel.UnitPod unit = new UnitModel.UnitPod(pod.getMetadata().getName(), pod.getMetadata().getUid(), id(pod));
                HasMetadata desired = kind == Service.class ? UnitModel.service(spec, unit) : UnitModel.route(spec, unit);
                boolean owner = object.getMetadata().getOwnerReferences() != null && object.getMetadata().getOwnerReferences()
                        .stream().anyMatch(o -> pod.getMetadata().getUid().equals(o.getUid()));
                if (!owner || !DesiredStateMatcher.matches(desired, object)) {
                    stale++;
                }
            }
            extra += actual.size();
        }
        return new Diff(expected.size() * 2, missing, stale, extra);
    }

    // --- report ---------------------------------------------------------------------------------------------------

    private static double pct(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, "%.1f ms", v);
    }

    private static String x(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String met(boolean ok) {
        return ok ? "met" : "**missed**";
    }

    private void write(Latencies small, Map<String, Long> smallWrites, long[] smallEffective, Map<String, Long> deleteWrites,
            Restart smallRestart, Churn churn, Latencies large, Map<String, Long> largeWrites, long[] largeEffective,
            Restart largeRestart, Duration fill) throws IOException {
        Path doc = Path.of("docs", "benchmarks.md");
        String findings = "<!-- findings:start -->\n_No findings written yet._\n<!-- findings:end -->";
        if (Files.exists(doc)) {
            String old = Files.readString(doc);
            int s = old.indexOf("<!-- findings:start -->");
            int e = old.indexOf("<!-- findings:end -->");
            if (s >= 0 && e > s) {
                findings = old.substring(s, e + "<!-- findings:end -->".length());
            }
        }
        StringBuilder md = new StringBuilder();
        var os = ManagementFactory.getOperatingSystemMXBean();
        md.append("# Benchmarks: the unit hot path\n\n");
        md.append("Written by `UnitRoutingBenchmark` on ").append(Instant.now().atOffset(ZoneOffset.UTC).toLocalDate())
                .append(" (").append(Instant.now()).append("). Every figure below is from that one run; re-running overwrites them.\n\n");
        md.append("- Machine: `nproc` = ").append(Runtime.getRuntime().availableProcessors()).append(", load average at the end ")
                .append(String.format(Locale.ROOT, "%.2f", os.getSystemLoadAverage())).append(" (shared with other builds), ")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch")).append('\n');
        md.append("- JVM: ").append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.runtime.version"))
                .append(", max heap ").append(Runtime.getRuntime().maxMemory() / (1024 * 1024)).append(" MiB, GC ")
                .append(ManagementFactory.getGarbageCollectorMXBeans().stream().map(g -> g.getName()).toList()).append('\n');
        md.append("- API server: fabric8 kubernetes-server-mock (CRUD mode) in the same JVM; no garbage collector, no admission.\n");
        md.append("- Parameters: samples=").append(SAMPLES).append(", small=").append(SMALL).append(", large=").append(LARGE)
                .append(", churn ").append(CHURN_UNITS).append(" units at ").append(CHURN_RATE).append("/s for ").append(CHURN_SECONDS)
                .append(" s. Filling the mock from ").append(CHURN_UNITS).append(" to ").append(LARGE).append(" units took ")
                .append(fill.toSeconds()).append(" s.\n\n");
        md.append("## How to run\n\n```\n").append(COMMAND).append("\n```\n\n");
        md.append("Not part of `./mvnw verify`: the class name matches none of surefire's default includes. ")
                .append("Smaller runs: `-Dbench.large=1000 -Dbench.samples=50 -Dbench.churn.seconds=10` (then the figures are not the targets' counts).\n\n");
        md.append(METHOD);

        md.append("## (a)+(b) Latency: pod Ready to Service and HTTPRoute on the watch\n\n");
        md.append("| live units | path | p50 | p99 | max |\n|---|---|---|---|---|\n");
        for (var row : List.of(Map.entry(SMALL, small), Map.entry(LARGE, large))) {
            Latencies l = row.getValue();
            md.append("| ").append(row.getKey()).append(" | operator, t0 before the pod status write | ").append(ms(pct(l.operatorMs(), 50)))
                    .append(" | ").append(ms(pct(l.operatorMs(), 99))).append(" | ").append(ms(pct(l.operatorMs(), 100))).append(" |\n");
            md.append("| ").append(row.getKey()).append(" | operator, t0 after the status write returned | ")
                    .append(ms(pct(l.operatorAfterWriteMs(), 50))).append(" | ").append(ms(pct(l.operatorAfterWriteMs(), 99)))
                    .append(" | ").append(ms(pct(l.operatorAfterWriteMs(), 100))).append(" |\n");
            md.append("| ").append(row.getKey()).append(" | floor: the benchmark creates both | ").append(ms(pct(l.floorMs(), 50)))
                    .append(" | ").append(ms(pct(l.floorMs(), 99))).append(" | ").append(ms(pct(l.floorMs(), 100))).append(" |\n");
        }
        md.append("\n| measure | figure | target | |\n|---|---|---|---|\n");
        for (var row : List.of(Map.entry(SMALL, small), Map.entry(LARGE, large))) {
            Latencies l = row.getValue();
            double r50 = pct(l.operatorMs(), 50) / pct(l.floorMs(), 50);
            double r99 = pct(l.operatorMs(), 99) / pct(l.floorMs(), 99);
            double a50 = pct(l.operatorAfterWriteMs(), 50) / pct(l.floorMs(), 50);
            double a99 = pct(l.operatorAfterWriteMs(), 99) / pct(l.floorMs(), 99);
            md.append("| (a)/(b) p50 at ").append(row.getKey()).append(" | ").append(x(r50)).append(" (").append(x(a50))
                    .append(" from the status write's return) | ≤ 1.5 | ").append(met(r50 <= 1.5)).append(" |\n");
            md.append("| (a)/(b) p99 at ").append(row.getKey()).append(" | ").append(x(r99)).append(" (").append(x(a99))
                    .append(" from the status write's return) | ≤ 1.5 | ").append(met(r99 <= 1.5)).append(" |\n");
        }
        double growth = pct(large.operatorMs(), 99) / pct(small.operatorMs(), 99);
        double floorGrowth = pct(large.floorMs(), 99) / pct(small.floorMs(), 99);
        md.append("| p99 at ").append(LARGE).append(" / p99 at ").append(SMALL).append(" | ").append(x(growth)).append(" (floor: ")
                .append(x(floorGrowth)).append(") | ≤ 1.25 | ").append(met(growth <= 1.25)).append(" |\n\n");

        md.append("## (c) Writes, counted at the mock server\n\n");
        md.append("Operator requests other than GET, by method and resource (the benchmark's own requests carry a header and are excluded).\n\n");
        md.append("| window | operator writes | per unit | target | |\n|---|---|---|---|---|\n");
        Map<Integer, long[]> effective = Map.of(SMALL, smallEffective, LARGE, largeEffective);
        for (var row : List.of(Map.entry(SMALL, smallWrites), Map.entry(LARGE, largeWrites))) {
            Map<String, Long> w = row.getValue();
            long[] took = effective.get(row.getKey());
            double appear = (double) sum(w, "POST", "services", "httproutes") / SAMPLES
                    + (double) sum(w, "PUT", "services", "httproutes") / SAMPLES + (double) sum(w, "PATCH", "services", "httproutes") / SAMPLES;
            double gone = (double) sum(w, "DELETE", "services", "httproutes") / SAMPLES;
            long pod = sumKinds(w, "pods", "pods/status");
            md.append("| ").append(SAMPLES).append(" appearances + ").append(SAMPLES).append(" Ready→not Ready at ").append(row.getKey())
                    .append(" units | `").append(w).append("` | ").append(x(appear)).append(" creates/updates per appearance, ")
                    .append(x(gone)).append(" deletes per unroute, ").append(pod).append(" pod writes; of these, ")
                    .append(x((double) took[0] / SAMPLES)).append(" creates and ").append(x((double) took[1] / SAMPLES))
                    .append(" deletes per unit took effect (ADDED/DELETED on the watch) | 2 per appearance, 0 pod writes | ")
                    .append(met(Math.abs(appear - 2) < 1e-9 && pod == 0)).append(" |\n");
        }
        double perDelete = (double) sum(deleteWrites, "DELETE", "services", "httproutes") / DELETIONS;
        md.append("| ").append(DELETIONS).append(" pods deleted at ").append(SMALL).append(" units | `").append(deleteWrites).append("` | ")
                .append(x(perDelete)).append(" deletes per pod (the mock has no GC; on a cluster the ownerReference would let the GC do it) | ≤ 2 | ")
                .append(met(perDelete <= 2)).append(" |\n");
        for (Restart r : List.of(smallRestart, largeRestart)) {
            long n = r.writes().values().stream().mapToLong(Long::longValue).sum();
            md.append("| restart with ").append(r.units()).append(" units (").append(r.pods()).append(" pods), nothing changed | `")
                    .append(r.writes()).append("` | ").append(n).append(" in all; every pod reconciled ")
                    .append(r.toAllReconciled().toMillis()).append(" ms after start | 0 | ").append(met(n == 0)).append(" |\n");
        }
        for (Restart r : List.of(smallRestart, largeRestart)) {
            md.append("\nGateway status units before the restart at ").append(r.units()).append(": ")
                    .append(r.statusBefore() == null ? "matched the pods" : "**" + r.statusBefore() + "**").append("; after it: ")
                    .append(r.statusAfter() == null ? "matched the pods" : "**" + r.statusAfter() + "**").append(".\n");
        }
        md.append("\nStatus writes (`texeragateways/status`) in the latency windows are the coalesced unit-count updates (at most one a second).\n\n");

        md.append("## (d) Heap per live unit\n\n");
        long delta = largeRestart.heapAfter() - largeRestart.heapBefore();
        long deltaSmall = smallRestart.heapAfter() - smallRestart.heapBefore();
        double perUnit = (double) delta / largeRestart.pods();
        double marginal = (double) (delta - deltaSmall) / (largeRestart.pods() - smallRestart.pods());
        md.append("| restart at | live bytes before start (after full GC) | + Service/HTTPRoute caches | + controllers, all pods reconciled | delta | delta / pods | of which unit-object caches / pods |\n|---|---|---|---|---|---|---|\n");
        for (Restart r : List.of(smallRestart, largeRestart)) {
            long d = r.heapAfter() - r.heapBefore();
            md.append("| ").append(r.units()).append(" units, ").append(r.pods()).append(" pods | ").append(r.heapBefore() / 1024).append(" KiB | ")
                    .append(r.heapObjects() / 1024).append(" KiB | ").append(r.heapAfter() / 1024).append(" KiB | ").append(d / 1024).append(" KiB | ")
                    .append(String.format(Locale.ROOT, "%.0f B", (double) d / r.pods())).append(" | ")
                    .append(String.format(Locale.ROOT, "%.0f B", (double) (r.heapObjects() - r.heapBefore()) / r.pods())).append(" |\n");
        }
        md.append("\n| measure | figure | target | |\n|---|---|---|---|\n");
        md.append("| heap per unit at ").append(LARGE).append(" (whole delta / pods, fixed cost included) | ")
                .append(String.format(Locale.ROOT, "%.0f B", perUnit)).append(" | ≤ 2 KB (2048 B) | ").append(met(perUnit <= 2048)).append(" |\n");
        md.append("| marginal heap per unit (difference of the two deltas / difference of pods) | ")
                .append(String.format(Locale.ROOT, "%.0f B", marginal)).append(" | ≤ 2 KB | ").append(met(marginal <= 2048)).append(" |\n\n");
        md.append("Largest growth by class over the ").append(LARGE).append("-unit restart (live bytes after, minus before), class groups, and the meters most numerous in the registry afterwards:\n\n| class | bytes (or count) |\n|---|---|\n");
        largeRestart.topClasses().forEach((k, v) -> md.append("| `").append(k).append("` | ").append(v[0]).append(" |\n"));

        md.append("\n## (e) Churn\n\n");
        md.append("| measure | figure | target | |\n|---|---|---|---|\n");
        md.append("| events issued | ").append(churn.events()).append(", ").append(churn.errors()).append(" failed, in ")
                .append(churn.took().toMillis()).append(" ms (").append(x(churn.events().values().stream().mapToInt(Integer::intValue).sum()
                        / (churn.took().toMillis() / 1000.0))).append("/s) | ").append(CHURN_RATE).append("/s for ").append(CHURN_SECONDS)
                .append(" s | |\n");
        md.append("| operator writes during churn and convergence | `").append(churn.writes()).append("` | | |\n");
        md.append("| converged | ").append(churn.didConverge() ? "yes, " + churn.converged().toMillis() + " ms after the last event" : "no, within 2 min")
                .append(" | bounded (2 min) | ").append(met(churn.didConverge())).append(" |\n");
        Diff d = churn.last();
        md.append("| units missing / stale / extra after convergence (of ").append(d.expected()).append(" expected objects, ")
                .append(churn.live()).append(" Ready pods) | ").append(d.missing()).append(" / ").append(d.stale()).append(" / ").append(d.extra())
                .append(" | 0 | ").append(met(d.bad() == 0)).append(" |\n\n");

        md.append("## Findings\n\n").append(findings).append('\n');
        Files.createDirectories(doc.getParent());
        Files.writeString(doc, md.toString());
        LOG.info("\n" + md);
    }

    private static final String METHOD = """
            ## Method

            One `@QuarkusTest` run on `@WithKubernetesTestServer(crud = true)`: the operator (both controllers) runs in the
            test JVM against fabric8's mock API server, also in that JVM. The benchmark uses its own `KubernetesClient`
            whose requests carry a header, so the mock's request log tells them from the operator's. One TexeraGateway,
            one pool namespace; live units are Ready pods labelled `type=computing-unit,cuid=N` (with a container and an
            env secret, like Texera's), created Ready, four at a time.

            - **(a) latency**: 20 sample pods sit in the pool not Ready. For each sample the benchmark writes one Ready
              (a status `PUT`; t0 is taken just before it is sent; the table also gives t0 taken when it returned) and
              waits on its own watches (Services and HTTPRoutes in the pool namespace, opened once) for the `ADDED`
              events of that unit's Service and HTTPRoute; the latency is the later arrival minus t0. Then the sample
              pod goes back to not Ready and the benchmark waits for both `DELETED` events, so the live count stays
              put. Samples run one at a time.
            - **(b) floor**: after each operator sample, the benchmark creates the very objects the operator writes
              (`UnitModel`, renamed, without the operator's labels so the operator ignores them), Service then
              HTTPRoute, from t0 just before the first create, observed on the same watches; then deletes them. Same
              run, same live count, interleaved with (a).
            - **(c) writes**: every non-GET request the mock received from the operator, by method and resource path,
              over each window. The restart: `Operator.stop()` on the running operator (and the unit controller's own
              ticker and Service/HTTPRoute informers), then a **new** `io.javaoperatorsdk.operator.Operator` on the same
              `ConfigurationService`, with new `TexeraGatewayReconciler`, `UnitReconciler`, `UnitStatusBoard` and
              `UnitObjectCache` instances, a new `TexeraGatewayStatusWriter` (it reads the board) and the registered controllers' configurations (the pod controller's given a
              new `PrunedPodStore` by reflection, as QOSDK accepts only its own configuration class): fresh informers list everything and every pod is reconciled, as in a process restart.
              The window runs until every pod was reconciled, the status board knows its counts, and 4 s more (the
              orphan sweep and status flush tick every second). The first restart happens at the small count, the
              second at the large one.
            - **(d) heap**: live bytes from a class histogram after a full GC (`GC.class_histogram` through the
              DiagnosticCommand MBean) just before the new operator starts and again after every pod was reconciled.
              The stopped operator is kept reachable, and nothing is written to the mock in between (see the restart
              writes), so the mock's own copies of the pods, Services and HTTPRoutes are in both figures and the delta is
              the new operator's whole footprint: pod, Service and HTTPRoute caches and indexes, JOSDK's per-resource
              state, the status board, plus its fixed cost (informers, threads, meters). Dividing by the pod count
              overstates the per-unit cost by the fixed part; the marginal figure (difference between the two restarts)
              removes it. Error: a few hundred KiB of unrelated allocation (logging, JIT, watch buffers) either way,
              i.e. below ±100 B per unit at 5,000.
            - **(e) churn**: with the live count at the churn size, a single-threaded scheduler at a fixed rate issues
              the events (seeded random mix: new Ready pod, half of those reusing the id of a deleted pod; Ready → not
              Ready; not Ready → Ready; delete). Then, once a second for at most 2 minutes, the benchmark compares the
              expected unit objects (one Service and one HTTPRoute per Ready pod, owned by that pod's uid, with the
              content `UnitModel` wants) with what the mock holds: missing, stale (wrong owner or content) and extra
              (an object for a pod that is not Ready or is gone).

            """;
}
