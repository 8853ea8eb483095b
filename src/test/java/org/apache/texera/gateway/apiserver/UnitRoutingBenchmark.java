package org.apache.texera.gateway.apiserver;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.texera.gateway.api.v1alpha1.TexeraGateway;
import org.apache.texera.gateway.model.EffectiveSpec;
import org.apache.texera.gateway.model.GatewayRef;
import org.apache.texera.gateway.model.Names;
import org.apache.texera.gateway.model.SpecResolution;
import org.apache.texera.gateway.model.SpecResolver;
import org.apache.texera.gateway.model.UnitModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * The unit hot path on the real API server (issue 9): the packaged operator as a separate process (prod profile,
 * its own ServiceAccount) against the kit's kube-apiserver, etcd and garbage collector. One run gives every figure of
 * docs/benchmarks.md: Ready-to-route latency against a floor measured in the same run, writes counted in the API
 * server's audit log, start time, heap from the operator process's class histogram, CPU, etcd's size, and churn
 * checked against the pods. Not a test: it asserts no figure, and is not part of {@code verify}. Command (after
 * {@code package}, which {@code verify} runs first):
 *
 * <pre>
 * ./mvnw -B -ntp verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=UnitRoutingBenchmark \
 *     -Dbench.out=docs/unit-routing-figures.md
 * </pre>
 *
 * {@code -Dbench.large=10000 -Dbench.churn.units=0} is the scale run; smaller trial runs: {@code -Dbench.large=1000
 * -Dbench.samples=50 -Dbench.churn.seconds=10}. {@code -Dbench.backend=mock} runs the same against fabric8's CRUD mock
 * ({@link BackEnd.Mock}), for comparison: there the writes come from the mock's own log and there is no etcd.
 * {@code -Dbench.startsOnly=true -Dbench.starts=N} runs only the start phase: N operator starts, each followed by a start
 * of the floor ({@link StartFloor}); {@code -Dbench.start.jvm="A|B"} sets the JVM options the starts alternate
 * between, and {@code -Dbench.start.mockTrainedArchive=true} adds an archive trained on the mock ({@link CdsTraining}).
 */
@ExtendWith(UnitRoutingBenchmark.BackEndAvailable.class)
class UnitRoutingBenchmark {
    /** {@code real} (the kit's API server) or {@code mock}. */
    private static final String BACK_END = System.getProperty("bench.backend", "real");
    private static final int SAMPLES = Integer.getInteger("bench.samples", 200);
    private static final int WARM_UP = Integer.getInteger("bench.warmup", 40);
    private static final int SMALL = Integer.getInteger("bench.small", 100);
    private static final int LARGE = Integer.getInteger("bench.large", 5_000);
    private static final int CHURN_UNITS = Integer.getInteger("bench.churn.units", 1_000);
    private static final int CHURN_RATE = Integer.getInteger("bench.churn.rate", 20);
    private static final int CHURN_SECONDS = Integer.getInteger("bench.churn.seconds", 60);
    private static final int STARTS = Integer.getInteger("bench.starts", 3);
    /** Only the start phase: {@code -Dbench.startsOnly=true} measures the operator's start without the rest. */
    private static final boolean STARTS_ONLY = Boolean.getBoolean("bench.startsOnly");
    private static final Path OUT = Path.of(System.getProperty("bench.out",
            "target/benchmarks/unit-routing-" + LARGE + "-" + BACK_END + ".md"));
    /** The sample units: never Ready while idle, ids far above the populated ones. */
    private static final int SAMPLE_PODS = 20;
    private static final long SAMPLE_ID_BASE = 900_000;
    /** How long a restart window stays open after every pod was reconciled: the orphan sweep and the status flush tick every second. */
    private static final Duration SETTLE = Duration.ofSeconds(5);
    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(60);
    /** The operator logs at DEBUG and each sample's moments are printed, to trace where the latency goes. */
    private static final boolean TRACE = Boolean.getBoolean("bench.trace");

    private final BackEnd backEnd = BackEnd.named(BACK_END);
    private final KubernetesClient admin = backEnd.admin();
    private final GatewayRef gateway = new GatewayRef("bench", "texera");
    private final String pool = "bench-pool";
    private final int metricsPort = freePort();
    private final Report report = new Report(backEnd);
    /** ADDED / DELETED arrivals on the benchmark's own watches: "kind/name/ADDED" -> nanoTime. */
    private final Map<String, CompletableFuture<Long>> arrivals = new ConcurrentHashMap<>();
    private EffectiveSpec spec;
    private OperatorProcess operator;
    private int run;

    @Test
    void unitHotPath() throws Exception {
        OperatorProcess.assumeJar();
        report.line("- Parameters: samples=%d (after %d warm-up), small=%d, large=%d, churn %d units at %d/s for %d s",
                SAMPLES, WARM_UP, SMALL, LARGE, CHURN_UNITS, CHURN_RATE, CHURN_SECONDS);
        admin.leases().inNamespace(ApiServerKit.OPERATOR_NAMESPACE).delete();
        backEnd.admit(pool, gateway.namespace());
        backEnd.namespace(gateway.namespace());
        FaultsSupport.createGateway(admin, gateway.namespace(), pool);
        spec = ((SpecResolution.Valid) SpecResolver.resolve(admin.resources(TexeraGateway.class)
                .inNamespace(gateway.namespace()).withName(gateway.name()).get())).spec();
        List<Watch> watches = List.of(admin.services().inNamespace(pool).watch(arrivals(Service.class)),
                admin.resources(HTTPRoute.class).inNamespace(pool).watch(arrivals(HTTPRoute.class)),
                admin.pods().inNamespace(pool).watch(arrivals(Pod.class)));
        UnitChecker checker = new UnitChecker(admin, gateway, pool);
        try (UnitChurn units = new UnitChurn(admin, pool)) {
            starts();
            if (STARTS_ONLY) {
                return;
            }
            operator = start();
            List<String> samples = new ArrayList<>();
            for (int i = 0; i < SAMPLE_PODS; i++) {
                samples.add(UnitChurn.createUnitPod(admin, pool, SAMPLE_ID_BASE + i));
            }
            units.populate(SMALL);
            long filled = FaultsSupport.converge(checker, Duration.ofMinutes(5));
            report.line("- %d units routed %d ms after their pods were Ready", SMALL, filled);
            latency(samples, WARM_UP, null);
            latency(samples, SAMPLES, "%d".formatted(SMALL));
            Restart small = restart(SMALL);
            if (CHURN_UNITS > 0) {
                units.populate(CHURN_UNITS - units.readyCount());
                FaultsSupport.converge(checker, Duration.ofMinutes(5));
                churn(units, checker);
            }
            long fillStart = System.nanoTime();
            units.populate(LARGE - units.readyCount());
            FaultsSupport.converge(checker, Duration.ofMinutes(20));
            report.line("- Filling to %d Ready units and their routes took %d s", LARGE,
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - fillStart));
            latency(samples, WARM_UP / 2, null);
            latency(samples, SAMPLES, "%d".formatted(LARGE));
            report.flatness("%d".formatted(SMALL), "%d".formatted(LARGE));
            Restart large = restart(LARGE);
            heap(small, large);
            report.line("");
            report.line("etcd database: %s", backEnd.storageSize().orElse("none (the mock keeps its objects in the "
                    + "benchmark's heap)"));
        } finally {
            watches.forEach(Watch::close);
            if (operator != null) {
                operator.close();
            }
            backEnd.close();
            report.write(OUT);
        }
    }

    // ---- start -------------------------------------------------------------------------------------------------

    /**
     * Fresh JVM starts, each with a TexeraGateway created while it was down: start to that gateway's first status.
     * Each is followed by a start of the floor ({@link StartFloor}) on a gateway of its own, so both see the same machine.
     */
    private void starts() {
        report.section("Start: process start to the first TexeraGateway reconciled (JVM, prod profile, leader election on)");
        // -Dbench.start.jvm="A|B": the starts alternate between these JVM option sets, so that a comparison sees the
        // same machine load. By default: as the image starts (its flags and a class-data-sharing archive recorded
        // by the image's own training script, here with this JDK), and the same without the archive.
        // -Dbench.start.mockTrainedArchive=true adds a third: an archive recorded by a training start that does the
        // operator's work against the mock (CdsTraining), which an image build could record only with a mock in it.
        String image = String.join(" ", OperatorProcess.IMAGE_JVM_ARGS);
        String defaults = System.getProperty("operator.jvm.args");
        Path dir = KitBinaries.project().resolve("target/benchmarks");
        if (defaults == null && STARTS > 0) {
            Path archive = OperatorProcess.trainCdsArchive(dir.resolve("app-cds.jsa"));
            defaults = image + " -XX:SharedArchiveFile=" + archive + "|" + image;
            if (Boolean.getBoolean("bench.start.mockTrainedArchive")) {
                defaults += "|" + image + " -XX:SharedArchiveFile=" + CdsTraining.record(dir.resolve("app-cds-mock.jsa"));
            }
        }
        List<String> variants = List.of(System.getProperty("bench.start.jvm", defaults == null ? image : defaults)
                .split("\\|", -1));
        String floorClassPath = StartFloor.classPath(dir);
        List<String> floorJvm = new ArrayList<>(OperatorProcess.IMAGE_JVM_ARGS);
        Path floorArchive = dir.resolve("start-floor-cds.jsa");
        deleteIfExists(floorArchive);
        floorJvm.add("-XX:ArchiveClassesAtExit=" + floorArchive);
        startFloor(floorJvm, floorClassPath, freshGateway("bench-start-floor-training"), "training");
        floorJvm.set(floorJvm.size() - 1, "-XX:SharedArchiveFile=" + floorArchive);
        String floorName = "floor: `StartFloor`, `" + String.join(" ", floorJvm) + "`";

        Map<String, List<Long>> byVariant = new LinkedHashMap<>();
        report.line("| start | to status written | CPU to status | RSS after | JVM options |");
        report.line("|---|---|---|---|---|");
        for (int i = 1; i <= STARTS; i++) {
            String jvm = variants.get((i - 1) % variants.size()).trim();
            TexeraGateway fresh = freshGateway("bench-start-" + i);
            long start = System.nanoTime();
            OperatorProcess process = start(OperatorProcess.jvmArgs(jvm));
            awaitStatus(fresh);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            Duration cpu = process.cpu();
            report.line("| %d | %d ms | %.1f s | %s | `%s` |", i, ms, cpu.toMillis() / 1000.0, rss(process.pid()), jvm);
            byVariant.computeIfAbsent("`" + jvm + "`", v -> new ArrayList<>()).add(ms);
            // Deleted while this operator still runs, so it takes its finalizer off and the next start finds only
            // its own fresh gateway, as a restart does, not also a deletion to clean up.
            admin.resource(fresh).delete();
            await().atMost(Duration.ofMinutes(1)).until(() -> admin.resource(fresh).get() == null);
            process.close();

            long floorMs = startFloor(floorJvm, floorClassPath, freshGateway("bench-start-floor-" + i), Integer.toString(i));
            report.line("| %d, floor | %d ms | | | `StartFloor` |", i, floorMs);
            byVariant.computeIfAbsent(floorName, v -> new ArrayList<>()).add(floorMs);
        }
        report.line("");
        byVariant.forEach((jvm, times) -> report.line("- median of %d starts with %s: %d ms", times.size(), jvm,
                times.stream().sorted().toList().get((times.size() - 1) / 2)));
        report.line("");
        report.line("Each start is a new JVM (`java -Xmx512m <JVM options> -jar quarkus-run.jar`, same Lease identity, so no "
                + "Lease wait) and finds one TexeraGateway, created while no operator ran (the one before is deleted "
                + "before its operator stops, so no start also cleans up a deletion); the time runs from "
                + "`ProcessBuilder.start()` to the benchmark's read of a status with `observedGeneration`, polled every "
                + "20 ms; the CPU is the process's user and system time at that read. "
                + "The archive (`-XX:SharedArchiveFile`) is recorded before the first start by `"
                + OperatorProcess.CDS_TRAINING_SCRIPT + "`, the script the image build runs. After each start, the floor: "
                + "a JVM with the same JDK, flags and heap and the operator's own client libraries that only reads a fresh "
                + "TexeraGateway and writes its `status.observedGeneration` as the operator's ServiceAccount (`StartFloor`; "
                + "no framework, informer, discovery or leader election), with an archive recorded by a run of its own, "
                + "timed the same way. It exits as it writes, so it has no CPU or RSS figure.");
    }

    /** A TexeraGateway in a new namespace, created while no operator runs. */
    private TexeraGateway freshGateway(String namespace) {
        backEnd.namespace(namespace);
        TexeraGateway fresh = new TexeraGateway();
        fresh.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withNamespace(namespace)
                .withName("texera").build());
        fresh.setSpec(new org.apache.texera.gateway.api.v1alpha1.TexeraGatewaySpec());
        fresh.getSpec().setHostname(namespace + ".example.com");
        return admin.resource(fresh).create();
    }

    private void awaitStatus(TexeraGateway gateway) {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20)).until(() -> hasStatus(gateway));
    }

    private boolean hasStatus(TexeraGateway gateway) {
        TexeraGateway seen = admin.resource(gateway).get();
        return seen.getStatus() != null && seen.getStatus().getObservedGeneration() != null;
    }

    /** Runs the floor on {@code gateway} and returns the milliseconds from its start to its status write seen. */
    private long startFloor(List<String> jvm, String classPath, TexeraGateway gateway, String run) {
        List<String> command = StartFloor.command(Path.of(System.getProperty("java.home"), "bin", "java"), jvm, classPath,
                backEnd.url(), backEnd.operatorToken(), gateway.getMetadata().getNamespace(), gateway.getMetadata().getName());
        Path log = KitBinaries.project().resolve("target/faults/start-floor-" + run + ".log");
        try {
            Files.createDirectories(log.getParent());
            long start = System.nanoTime();
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
            // Read as for the operator; it exits as soon as its write returns, so a dead process with no status has failed.
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
                    .until(() -> hasStatus(gateway) || !process.isAlive());
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            if (!hasStatus(gateway) || !process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("the start floor failed (log: " + log + ")");
            }
            admin.resource(gateway).delete();
            return ms;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void deleteIfExists(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private OperatorProcess start() {
        return start(OperatorProcess.jvmArgs(System.getProperty("operator.jvm.args",
                String.join(" ", OperatorProcess.IMAGE_JVM_ARGS))));
    }

    private OperatorProcess start(List<String> jvmArgs) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("QUARKUS_HTTP_PORT", Integer.toString(metricsPort)));
        if (TRACE) {
            env.put("QUARKUS_LOG_CATEGORY__ORG_APACHE_TEXERA__LEVEL", "DEBUG");
            env.put("QUARKUS_LOG_CATEGORY__IO_JAVAOPERATORSDK_OPERATOR_PROCESSING__LEVEL", "DEBUG");
        }
        return OperatorProcess.start(backEnd.url(), backEnd.operatorToken(), "bench-operator", ++run, env, jvmArgs);
    }

    // ---- latency -----------------------------------------------------------------------------------------------

    /**
     * {@code count} samples, each: one sample pod turned Ready, both unit objects awaited on the watches, then turned
     * not Ready and both deletions awaited; then the floor, the same two objects created by the benchmark itself.
     * {@code label} null: a warm-up, recorded nowhere.
     */
    private void latency(List<String> samples, int count, String label) {
        List<Double> operatorMs = new ArrayList<>();
        List<Double> readySeenMs = new ArrayList<>();
        List<Double> floorMs = new ArrayList<>();
        long mark = backEnd.mark();
        for (int i = 0; i < count; i++) {
            String pod = samples.get(i % samples.size());
            long id = SAMPLE_ID_BASE + i % samples.size();
            String name = Names.unit(gateway, id);
            CompletableFuture<Long> service = expect(Service.class, name, "ADDED");
            CompletableFuture<Long> route = expect(HTTPRoute.class, name, "ADDED");
            CompletableFuture<Long> ready = expect(Pod.class, pod, "READY");
            long t0 = System.nanoTime();
            setReady(pod, true);
            long t1 = System.nanoTime();
            long seen = Math.max(join(service), join(route));
            long readySeen = join(ready);
            operatorMs.add((seen - t0) / 1e6);
            if (TRACE) {
                System.out.printf("TRACE %s sample %s: t0 %s, status write %.1f ms, Ready seen %.1f ms, both seen %.1f ms%n",
                        label, name, Instant.now().minusNanos(System.nanoTime() - t0), (t1 - t0) / 1e6,
                        (readySeen - t0) / 1e6, (seen - t0) / 1e6);
            }
            readySeenMs.add((seen - readySeen) / 1e6);
            CompletableFuture<Long> serviceGone = expect(Service.class, name, "DELETED");
            CompletableFuture<Long> routeGone = expect(HTTPRoute.class, name, "DELETED");
            CompletableFuture<Long> notReady = expect(Pod.class, pod, "NOT_READY");
            setReady(pod, false);
            join(notReady);
            join(serviceGone);
            join(routeGone);
            floorMs.add(floor(pod, id, i));
        }
        if (label == null) {
            return;
        }
        List<ApiServerAudit.Request> writes = operatorWrites(mark);
        report.latency(label, operatorMs, readySeenMs, floorMs, count, writes);
    }

    /** The operator's own objects for this unit, renamed and unlabelled (so no operator touches them), created in sequence. */
    private double floor(String pod, long id, int i) {
        Pod cached = admin.pods().inNamespace(pool).withName(pod).get();
        List<HasMetadata> objects = UnitModel.desired(spec,
                new UnitModel.UnitPod(pod, cached.getMetadata().getUid(), id));
        String name = "floor-" + i;
        objects.forEach(o -> {
            o.getMetadata().setName(name);
            o.getMetadata().setLabels(null);
        });
        CompletableFuture<Long> service = expect(Service.class, name, "ADDED");
        CompletableFuture<Long> route = expect(HTTPRoute.class, name, "ADDED");
        long t0 = System.nanoTime();
        objects.forEach(o -> admin.resource(o).create());
        double ms = (Math.max(join(service), join(route)) - t0) / 1e6;
        CompletableFuture<Long> serviceGone = expect(Service.class, name, "DELETED");
        CompletableFuture<Long> routeGone = expect(HTTPRoute.class, name, "DELETED");
        objects.forEach(o -> admin.resource(o).withGracePeriod(0).delete());
        join(serviceGone);
        join(routeGone);
        return ms;
    }

    private static boolean ready(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** One status request, as the kubelet sends it: a strategic-merge patch of the Ready condition. */
    private void setReady(String pod, boolean ready) {
        String patch = """
                {"status":{"phase":"Running","conditions":[{"type":"Ready","status":"%s","lastTransitionTime":"%s"}]}}
                """.formatted(ready ? "True" : "False", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        admin.pods().inNamespace(pool).withName(pod).subresource("status")
                .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch);
    }

    /** Registers, before the request that causes it, the watch event to wait for; an event nobody awaits is dropped. */
    private CompletableFuture<Long> expect(Class<? extends HasMetadata> kind, String name, String action) {
        CompletableFuture<Long> arrival = new CompletableFuture<>();
        arrivals.put(kind.getSimpleName() + "/" + name + "/" + action, arrival);
        return arrival;
    }

    private static long join(CompletableFuture<Long> arrival) {
        try {
            return arrival.get(EVENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("no watch event within " + EVENT_TIMEOUT, e);
        }
    }

    private <T extends HasMetadata> Watcher<T> arrivals(Class<T> kind) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, T object) {
                long now = System.nanoTime();
                String event = object instanceof Pod pod ? (ready(pod) ? "READY" : "NOT_READY") : action.name();
                if (action == Action.ADDED || action == Action.DELETED || object instanceof Pod) {
                    CompletableFuture<Long> awaited = arrivals.remove(kind.getSimpleName() + "/" + object.getMetadata().getName() + "/" + event);
                    if (awaited != null) {
                        awaited.complete(now);
                    }
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                throw new IllegalStateException("benchmark watch on " + kind.getSimpleName() + " closed", cause);
            }
        };
    }

    // ---- restart, heap -----------------------------------------------------------------------------------------

    private record Restart(int units, int pods, long reconciledMs, Map<String, Long> writes, Histogram heap, Duration cpu) {
    }

    /**
     * SIGTERM, then a new process: it lists everything and reconciles every pod. The window runs until every pod was
     * reconciled (the operator's own reconcile counter) and {@link #SETTLE} more; its writes come from the server's log.
     */
    private Restart restart(int units) {
        // The old process first flushes what it owes (the status board's counts), so the new one has nothing to write.
        OperatorProcess old = operator;
        await().during(SETTLE).atMost(SETTLE.plusSeconds(5)).until(old::alive);
        operator.close();
        int pods = UnitChecker.pages(admin.pods().inNamespace(pool)).size();
        long mark = backEnd.mark();
        long start = System.nanoTime();
        operator = start();
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> reconciles() >= pods);
        long reconciledMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        OperatorProcess current = operator;
        await().during(SETTLE).atMost(SETTLE.plusSeconds(5)).until(current::alive);
        Map<String, Long> writes = count(operatorWrites(mark));
        // The smallest of three: a histogram whose full GC was skipped or raced with allocation counts garbage too
        // (seen once as 10 MB of int[] fillers, the unused rest of the threads' allocation buffers).
        Histogram heap = java.util.stream.Stream.generate(() -> Histogram.parse(operator.classHistogram())).limit(3)
                .min(Comparator.comparingLong(Histogram::totalBytes)).orElseThrow();
        Restart restart = new Restart(units, pods, reconciledMs, writes, heap, operator.cpu());
        report.restart(restart);
        return restart;
    }

    private void heap(Restart small, Restart large) {
        report.heap(small, large);
    }

    /** The unit controller's completed reconciles, from the operator's Prometheus endpoint. */
    private long reconciles() {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + metricsPort + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            return response.body().lines()
                    .filter(l -> l.startsWith("texera_gateway_reconcile_seconds_count{") && l.contains("controller=\"computingunit\""))
                    .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        } catch (IOException e) {
            return -1; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    // ---- churn -------------------------------------------------------------------------------------------------

    private void churn(UnitChurn units, UnitChecker checker) {
        long mark = backEnd.mark();
        int events = units.run(CHURN_RATE, Duration.ofSeconds(CHURN_SECONDS)).join();
        long lastEvent = System.nanoTime();
        long converged = FaultsSupport.converge(checker, Duration.ofMinutes(2));
        UnitChecker.Drift end = checker.check();
        report.section("Churn");
        report.line("| measure | figure | target | |");
        report.line("|---|---|---|---|");
        report.line("| events | %d in %d s (%d of the driver's requests failed) | %d/s for %d s | |", events, CHURN_SECONDS,
                units.failures(), CHURN_RATE, CHURN_SECONDS);
        report.line("| operator writes during churn and convergence | `%s` | | |", count(operatorWrites(mark)));
        long afterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastEvent);
        report.line("| 0 missing, stale and extra | %d ms after the last event (checked every 500 ms) | within 10 s | %s |",
                converged, afterMs <= 10_000 ? "met" : "**missed**");
        report.line("| at the end | %s | 0 / 0 / 0 | %s |", end, end.converged() ? "met" : "**missed**");
    }

    // ---- audit, helpers ----------------------------------------------------------------------------------------

    /**
     * The operator's writes that took effect, from the server's log, less its Lease renewals and the access reviews
     * JOSDK creates at start (a review is answered, never stored).
     */
    private List<ApiServerAudit.Request> operatorWrites(long mark) {
        return backEnd.operatorWritesSince(mark).stream().filter(r -> !r.resource().equals("leases")
                && !r.resource().startsWith("selfsubject")).toList();
    }

    private static Map<String, Long> count(List<ApiServerAudit.Request> writes) {
        return writes.stream().collect(Collectors.groupingBy(r -> r.verb() + " " + r.resource(), TreeMap::new,
                Collectors.counting()));
    }

    private static String rss(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(l -> l.startsWith("VmRSS:")).map(l -> l.substring(6).trim()).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** {@code jcmd GC.class_histogram}: total live bytes, and bytes by class. */
    record Histogram(long totalBytes, long totalInstances, Map<String, Long> bytesByClass, Map<String, Long> instancesByClass) {
        static Histogram parse(String text) {
            Map<String, Long> byClass = new LinkedHashMap<>();
            Map<String, Long> instancesByClass = new LinkedHashMap<>();
            long total = 0;
            long instances = 0;
            for (String line : text.lines().toList()) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 4 && f[0].endsWith(":")) {
                    byClass.merge(f[3], Long.parseLong(f[2]), Long::sum);
                    instancesByClass.merge(f[3], Long.parseLong(f[1]), Long::sum);
                } else if (f.length == 3 && f[0].equals("Total")) {
                    instances = Long.parseLong(f[1]);
                    total = Long.parseLong(f[2]);
                }
            }
            return new Histogram(total, instances, byClass, instancesByClass);
        }
    }

    /** The kit's binaries for the real back end (as every real-tier class); nothing for the mock. */
    static final class BackEndAvailable implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return BACK_END.equals("mock") ? ConditionEvaluationResult.enabled("mock back end")
                    : new RequiresApiServer().evaluateExecutionCondition(context);
        }
    }

    // ---- the report --------------------------------------------------------------------------------------------

    private static final class Report {
        private final List<String> lines = new ArrayList<>();
        private final Map<String, double[]> p99s = new LinkedHashMap<>();

        Report(BackEnd backEnd) {
            lines.add("# Unit hot path " + (backEnd instanceof BackEnd.Mock ? "on fabric8's mock API server" : "on the real API server")
                    + ": figures of one run");
            lines.add("");
            lines.add("Written by `UnitRoutingBenchmark` at " + Instant.now() + "; re-running overwrites this file. "
                    + "Method and findings: [benchmarks.md](benchmarks.md).");
            lines.add("");
            lines.add("- Machine: `nproc` = " + Runtime.getRuntime().availableProcessors() + ", "
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch") + "; "
                    + (backEnd instanceof BackEnd.Mock ? "the operator and the benchmark (with the mock in it)"
                            : "the API server, etcd, the controller manager, the operator and the benchmark")
                    + " share it");
            lines.add("- Operator JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
                    + ", `-Xmx512m " + String.join(" ", OperatorProcess.IMAGE_JVM_ARGS) + "` (as the image starts it"
                    + (System.getProperty("bench.start.jvm") == null ? ")"
                            : "; the starts below alternate between the options each row names)"));
            lines.add("- API server: " + backEnd.description());
        }

        void line(String format, Object... args) {
            String text = args.length == 0 ? format : String.format(Locale.ROOT, format, args);
            lines.add(text);
            System.out.println(text);
        }

        void section(String title) {
            line("");
            line("## " + title);
            line("");
        }

        void latency(String units, List<Double> operator, List<Double> readySeen, List<Double> floor, int count,
                List<ApiServerAudit.Request> writes) {
            section("Latency at " + units + " live units: pod Ready to Service and HTTPRoute on a watch (" + count + " samples)");
            line("| path | p50 | p99 | max |");
            line("|---|---|---|---|");
            line("| operator, t0 = the Ready status seen on the benchmark's pod watch | %s |", stats(readySeen));
            line("| operator, t0 = before the status write was sent | %s |", stats(operator));
            line("| floor: the benchmark creates both objects, one after the other | %s |", stats(floor));
            line("");
            line("| ratio operator / floor | p50 | p99 | target |");
            line("|---|---|---|---|");
            line("| t0 = Ready seen on a watch | %.2f | %.2f | ≤ 1.5 |", pct(readySeen, .5) / pct(floor, .5),
                    pct(readySeen, .99) / pct(floor, .99));
            line("| t0 = before the status write | %.2f | %.2f | |", pct(operator, .5) / pct(floor, .5),
                    pct(operator, .99) / pct(floor, .99));
            line("");
            p99s.put(units, new double[] { pct(readySeen, .99), pct(floor, .99), pct(operator, .99) });
            Map<String, Long> byKind = count(writes);
            long unitWrites = writes.stream().filter(r -> r.resource().equals("services") || r.resource().equals("httproutes"))
                    .count();
            line("Operator writes in this window (the server's log): `%s`: %.2f unit-object writes per appearance (each "
                    + "appearance is also one disappearance).", byKind, unitWrites / 2.0 / count);
        }

        /** Operator p99 at the large count over p99 at the small one, against the floor's own growth. */
        void flatness(String small, String large) {
            double[] a = p99s.get(small);
            double[] b = p99s.get(large);
            section("Flatness: p99 at " + large + " over p99 at " + small);
            line("| path | ratio | target |");
            line("|---|---|---|");
            line("| floor | %.2f | |", b[1] / a[1]);
            line("| operator, t0 = Ready seen | %.2f | ≤ %.2f (the floor's × 1.1) |", b[0] / a[0], b[1] / a[1] * 1.1);
            line("| operator, t0 = before the status write | %.2f | |", b[2] / a[2]);
        }

        void restart(Restart r) {
            section("No-op restart at " + r.units() + " Ready units (" + r.pods() + " pods)");
            line("| measure | figure | target |");
            line("|---|---|---|");
            line("| writes (less Lease renewals and JOSDK's access review), start to %d s after every pod was reconciled | `%s` | 0 |",
                    SETTLE.toSeconds(), r.writes());
            line("| every pod reconciled | %d ms after the process started | |", r.reconciledMs());
            line("| live heap after a full GC (`jcmd GC.class_histogram`) | %d KiB in %d objects | |",
                    r.heap().totalBytes() / 1024, r.heap().totalInstances());
            line("| CPU used by the process since its start | %.1f s | |", r.cpu().toMillis() / 1000.0);
        }

        void heap(Restart small, Restart large) {
            section("Heap per live unit");
            long delta = large.heap().totalBytes() - small.heap().totalBytes();
            int pods = large.pods() - small.pods();
            line("| measure | figure | target |");
            line("|---|---|---|");
            line("| marginal heap per unit pod: (%d − %d bytes) / (%d − %d pods) | %d B | ≤ 2 KB (2048 B) |",
                    large.heap().totalBytes(), small.heap().totalBytes(), large.pods(), small.pods(), delta / pods);
            // Pods the churn left not Ready cost less than a live unit: per pod understates, per Ready unit overstates.
            line("| marginal heap per Ready unit: the same / (%d − %d units) | %d B | |", large.units(), small.units(),
                    delta / (large.units() - small.units()));
            line("| whole live heap / pods at %d | %d B | |", large.units(), large.heap().totalBytes() / large.pods());
            line("");
            line("Growth by class between the two restarts, per added pod (the 25 largest):");
            line("");
            line("| class | bytes per pod | instances added |");
            line("|---|---|---|");
            Map<String, Long> growth = new LinkedHashMap<>();
            large.heap().bytesByClass().forEach((k, v) -> growth.put(k, v - small.heap().bytesByClass().getOrDefault(k, 0L)));
            growth.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())).limit(25)
                    .forEach(e -> line("| `%s` | %.0f | %d |", e.getKey(), e.getValue() / (double) pods,
                            large.heap().instancesByClass().getOrDefault(e.getKey(), 0L)
                                    - small.heap().instancesByClass().getOrDefault(e.getKey(), 0L)));
        }

        private static String stats(List<Double> values) {
            return String.format(Locale.ROOT, "%.1f ms | %.1f ms | %.1f ms", pct(values, .5), pct(values, .99),
                    values.stream().mapToDouble(d -> d).max().orElse(0));
        }

        private static double pct(List<Double> values, double q) {
            List<Double> sorted = values.stream().sorted().toList();
            return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
        }

        void write(Path out) throws IOException {
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.write(out, lines);
            System.out.println("written to " + out.toAbsolutePath());
        }
    }
}
