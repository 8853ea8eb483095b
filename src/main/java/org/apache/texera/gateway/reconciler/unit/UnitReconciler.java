package org.apache.texera.gateway.reconciler.unit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.apache.texera.gateway.api.v1alpha1.TexeraGateway;
import org.apache.texera.gateway.config.Leadership;
import org.apache.texera.gateway.config.OperatorConfig;
import org.apache.texera.gateway.kube.EventRecorder;
import org.apache.texera.gateway.kube.ObjectKey;
import org.apache.texera.gateway.kube.ObjectWriter;
import org.apache.texera.gateway.model.Consent;
import org.apache.texera.gateway.model.EffectiveSpec;
import org.apache.texera.gateway.model.GatewayRef;
import org.apache.texera.gateway.model.Labels;
import org.apache.texera.gateway.model.SpecResolution;
import org.apache.texera.gateway.model.SpecResolver;
import org.apache.texera.gateway.model.TexeraDefaults;
import org.apache.texera.gateway.model.UnitModel;
import org.apache.texera.gateway.model.UnitRouting;
import org.apache.texera.gateway.model.UnitRouting.PodFacts;
import org.apache.texera.gateway.reconciler.unit.UnitStatusBoard.State;
import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.health.InformerHealthIndicator;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.ManagedInformerEventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkiverse.operatorsdk.annotations.RBACRule;
import io.quarkus.runtime.ShutdownEvent;

/**
 * One computing-unit pod per reconcile: decides, for each TexeraGateway that selects it, whether it is routed, and
 * keeps its Service and HTTPRoute (owned by the pod) accordingly. Never writes the pod, never puts a finalizer on it
 * (no Cleaner): a pod that leaves the cache is handled through {@link PrunedPodStore}'s removal hook.
 */
// Eventually routed: a refused write (a quota, a webhook, a throttling API server) is retried without a limit, at
// most every 30 s, and every pod is reconciled again every 10 minutes whatever happened, so no Ready unit is given up
// on and no missed event leaves one unrouted for long.
@ControllerConfiguration(name = UnitReconciler.NAME, generationAwareEventProcessing = false,
        informer = @Informer(labelSelector = UnitReconciler.POD_SELECTOR, itemStore = PrunedPodStore.class,
                informerListLimit = UnitReconciler.LIST_CHUNK),
        maxReconciliationInterval = @MaxReconciliationInterval(interval = 10, timeUnit = TimeUnit.MINUTES))
@GradualRetry(maxAttempts = -1, initialInterval = 1_000, intervalMultiplier = 2, maxInterval = 30_000)
@RBACRule(apiGroups = "", resources = "services", verbs = { "list", "watch", "create", "patch", "delete" })
@RBACRule(apiGroups = "", resources = "events", verbs = { "create" })
public class UnitReconciler implements Reconciler<Pod> {
    public static final String NAME = "computingunit";
    /**
     * The pods the controller caches at all. A TexeraGateway's podSelector narrows it further; a gateway whose
     * selector lacks this label sees no pods (documented).
     */
    public static final String POD_SELECTOR = "type=computing-unit";
    /**
     * The informers' first list, and every relist, comes in pages of this many: a single list of 10,000 unit
     * HTTPRoutes is tens of megabytes and ran past the client's 10 s request timeout on a busy API server.
     */
    public static final long LIST_CHUNK = 500;
    private static final Logger LOG = Logger.getLogger(UnitReconciler.class);
    /** fabric8's own index of every informer cache. */
    static final String PODS_BY_NAMESPACE = Cache.NAMESPACE_INDEX;
    private static final Duration CRDS_MISSING_RECHECK = Duration.ofSeconds(10);
    /** 1+2+4+8+16+30+30+30 s: about two minutes of a refusing API server before the orphan sweep takes over. */
    private static final int HOOK_ATTEMPTS = 8;

    private final ObjectWriter writer;
    private final EventRecorder events;
    private final UnitStatusBoard board;
    private final UnitObjectCache objects;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Timer latency;
    private final Nudge<Pod> podNudge = new Nudge<>("unit-objects");
    /** pod uid + reason: each rejection is warned about and counted once per pod. */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private final ExecutorService removals = Executors.newSingleThreadExecutor(r -> daemon(r, "unit-pod-removals"));
    /** A reconcile's second apply or delete: at most one task per reconcile thread, so bounded by JOSDK's executor. */
    private final ExecutorService parallelWrites = Executors.newCachedThreadPool(r -> daemon(r, "unit-writes"));
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "unit-ticker"));
    /** The one-second housekeeping tick, cancelled when shutdown begins. */
    private volatile ScheduledFuture<?> ticking;
    private volatile IndexerResourceCache<Pod> pods;
    private volatile InformerEventSource<TexeraGateway, Pod> gateways;
    /** Namespaces (their labels and deletion only): whether a pool admits a gateway's units, see {@link Consent}. */
    private volatile InformerEventSource<Namespace, Pod> namespaces;
    private volatile boolean started;
    private volatile Instant nextSweep = Instant.MIN;
    /** The last housekeeping failure logged, so the one-second tick does not repeat it; null while it works. */
    private String housekeepingFailure;
    private final Duration sweepInterval;
    private final Leadership leadership;
    /** Empty: every namespace. */
    private final Set<String> poolNamespaces;

    public UnitReconciler(ObjectWriter writer, EventRecorder events, UnitStatusBoard board, UnitObjectCache objects,
            MeterRegistry meters, Clock clock, OperatorConfig config, Leadership leadership) {
        this.sweepInterval = config.orphanSweepInterval();
        this.poolNamespaces = config.poolNamespaces().orElse(Set.of());
        this.leadership = leadership;
        this.writer = writer;
        this.events = events;
        this.board = board;
        this.objects = objects;
        this.meters = meters;
        this.clock = clock;
        this.latency = Timer.builder("texera_gateway_unit_route_latency_seconds")
                .description("From a pod's Ready condition lastTransitionTime to its unit route written")
                .publishPercentileHistogram().register(meters);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public List<EventSource<?, Pod>> prepareEventSources(EventSourceContext<Pod> context) {
        Set<String> watched = context.getControllerConfiguration().getInformerConfig().getNamespaces();
        if (watched.size() > 1) {
            throw new IllegalStateException("quarkus.operator-sdk.controllers." + NAME + ".namespaces lists " + watched
                    + ": JOSDK would share one pod store between their informers, and one namespace's list would evict "
                    + "another's pods. Leave it at JOSDK_ALL_NAMESPACES and set texera.operator.pool-namespaces="
                    + String.join(",", watched) + " instead (the chart's watchNamespaces.computingUnits does).");
        }
        pods = context.getPrimaryCache();
        var configuration = InformerEventSourceConfiguration.from(TexeraGateway.class, Pod.class)
                .withName("unit-gateways")
                .withWatchAllNamespaces()
                .withSecondaryToPrimaryMapper(this::podsOf)
                .withPrimaryToSecondaryMapper((Pod pod) -> gatewaysIn(pod.getMetadata().getNamespace()).stream()
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                // Status writes change no unit; only a spec change or a deletion does.
                .withOnUpdateFilter((TexeraGateway now, TexeraGateway before) -> !Objects.equals(now.getMetadata().getGeneration(),
                        before.getMetadata().getGeneration())
                        || !Objects.equals(now.getMetadata().getDeletionTimestamp(), before.getMetadata().getDeletionTimestamp()))
                .build();
        InformerEventSource<TexeraGateway, Pod> source = new InformerEventSource<>(configuration, context);
        gateways = source;
        namespaces = new InformerEventSource<>(InformerEventSourceConfiguration.from(Namespace.class, Pod.class)
                .withName("unit-pool-consent")
                .withWatchAllNamespaces()
                // Consent given or withdrawn re-decides every unit pod of that namespace.
                .withSecondaryToPrimaryMapper((Namespace namespace) -> pods == null ? Set.of()
                        : pods.byIndex(PODS_BY_NAMESPACE, namespace.getMetadata().getName()).stream()
                                .map(ResourceID::fromResource).collect(Collectors.toSet()))
                // A pod's namespace is its name's: without this mapper JOSDK would keep a set per pod of the
                // namespaces that mapped to it.
                .withPrimaryToSecondaryMapper((Pod pod) -> Set.of(new ResourceID(pod.getMetadata().getNamespace())))
                .withOnUpdateFilter((Namespace now, Namespace before) -> !Objects.equals(now.getMetadata().getLabels(),
                        before.getMetadata().getLabels())
                        || !Objects.equals(now.getMetadata().getDeletionTimestamp(), before.getMetadata().getDeletionTimestamp()))
                .build(), context);
        PrunedPodStore.onRemoved(pod -> removals.execute(() -> podRemoved(pod)));
        PrunedPodStore.onTerminating(pod -> removals.execute(() -> podTerminating(pod)));
        objects.onChange(this::unitObjectChanged);
        objects.onAuthPolicyChange(this::authPolicyChanged);
        ticking = ticker.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
        return List.of(source, namespaces, podNudge);
    }

    @Override
    public UpdateControl<Pod> reconcile(Pod pod, Context<Pod> context) {
        if (!poolNamespaces.isEmpty() && !poolNamespaces.contains(pod.getMetadata().getNamespace())) {
            board.record(pod.getMetadata().getUid(), Map.of()); // seen, and of no gateway's business
            return UpdateControl.noUpdate();
        }
        if (!objects.ensureStarted()) {
            return UpdateControl.<Pod>noUpdate().rescheduleAfter(CRDS_MISSING_RECHECK);
        }
        Timer.Sample sample = Timer.start(meters);
        String result = "error";
        try {
            reconcileUnit(pod);
            result = "ok";
            return UpdateControl.noUpdate();
        } finally {
            sample.stop(meters.timer("texera_gateway_reconcile_seconds", "controller", NAME, "result", result));
        }
    }

    /**
     * Invariants, for every TexeraGateway G and this pod:
     * <ul>
     * <li>tenant isolation: only a G whose units the pod's namespace admits routes it, counts as its claimant, or
     * records an Event on it;</li>
     * <li>fail closed: a route of G exists only while G's ext-auth policy is in place;</li>
     * <li>last good spec: while G's spec does not resolve, G's objects for this pod stay as they are (nothing new is
     * routed for G until the spec is valid again).</li>
     * </ul>
     */
    private void reconcileUnit(Pod pod) {
        PodFacts facts = PodFacts.of(pod);
        List<EffectiveSpec> selecting = new ArrayList<>();
        for (TexeraGateway gateway : gatewaysIn(facts.namespace())) {
            if (gateway.getMetadata().getDeletionTimestamp() == null && admitsUnits(gateway, facts.namespace())
                    && SpecResolver.resolve(gateway) instanceof SpecResolution.Valid valid
                    && UnitRouting.selects(valid.spec().units(), facts)) {
                selecting.add(valid.spec());
            }
        }
        Map<GatewayRef, State> states = new LinkedHashMap<>();
        Set<ObjectKey> wanted = new HashSet<>();
        for (EffectiveSpec spec : selecting) {
            UnitRouting.Decision decision = UnitRouting.decide(spec, facts, samePool(spec, facts), selecting.size());
            if (decision instanceof UnitRouting.Route route
                    && objects.authPolicyInPlace(spec.gateway(), spec.units().namespace())) {
                write(spec, route.unit(), pod, wanted);
                states.put(spec.gateway(), State.ROUTED);
            } else if (decision instanceof UnitRouting.Route) {
                // Fail closed: without the ext-auth SecurityPolicy, Envoy Gateway would serve the route to anyone.
                LOG.debugf("unit pod %s/%s waits for the ext-auth SecurityPolicy of %s", facts.namespace(), facts.name(),
                        spec.gateway());
                states.put(spec.gateway(), State.WAITING_FOR_POLICY);
            } else if (decision instanceof UnitRouting.Wait) {
                states.put(spec.gateway(), State.WAITING);
            } else if (decision instanceof UnitRouting.Reject reject) {
                states.put(spec.gateway(), reject.reason() == UnitRouting.RejectReason.ClaimedByTwoGateways
                        ? State.CLAIMED_TWICE : State.REJECTED);
                warnOnce(pod, spec.gateway(), reject);
            }
        }
        List<HasMetadata> unwanted = new ArrayList<>();
        for (HasMetadata owned : objects.ownedBy(facts.uid()).filter(o -> !wanted.contains(ObjectKey.of(o))).toList()) {
            GatewayRef gateway = Labels.gatewayOf(owned.getMetadata().getLabels());
            if (gateway != null && keepsLastGoodSpec(gateway, owned.getMetadata().getNamespace())) {
                if (owned instanceof HTTPRoute) {
                    states.put(gateway, State.ROUTED);
                }
            } else {
                unwanted.add(owned);
            }
        }
        allAtOnce(unwanted.stream()
                .<Runnable>map(o -> () -> {
                    LOG.debugf("deleting %s: pod %s/%s is no longer routed there", ObjectKey.of(o), facts.namespace(), facts.name());
                    delete(o);
                }).toList());
        board.record(pod.getMetadata().getUid(), states);
    }

    /** Whether the pool namespace admits this gateway's units (its own namespace needs no consent). */
    private boolean admitsUnits(TexeraGateway gateway, String namespace) {
        GatewayRef ref = new GatewayRef(gateway.getMetadata().getNamespace(), gateway.getMetadata().getName());
        if (namespace.equals(ref.namespace())) {
            return true;
        }
        InformerEventSource<Namespace, Pod> source = namespaces;
        return source != null && source.get(new ResourceID(namespace)).map(n -> Consent.admits(n.getMetadata().getLabels(),
                n.getMetadata().getDeletionTimestamp() != null, Consent.Scope.UNITS, ref)).orElse(false);
    }

    /**
     * A gateway's unit object in this namespace stays as it is while the gateway's spec does not resolve: an invalid
     * edit must not unroute its units. Consent and the ext-auth policy still rule: without either, it goes.
     */
    private boolean keepsLastGoodSpec(GatewayRef ref, String namespace) {
        InformerEventSource<TexeraGateway, Pod> source = gateways;
        TexeraGateway gateway = source == null ? null : source.get(new ResourceID(ref.name(), ref.namespace())).orElse(null);
        return gateway != null && gateway.getMetadata().getDeletionTimestamp() == null
                && SpecResolver.resolve(gateway) instanceof SpecResolution.Invalid
                && admitsUnits(gateway, namespace) && objects.authPolicyInPlace(ref, namespace);
    }

    private void write(EffectiveSpec spec, UnitModel.UnitPod unit, Pod pod, Set<ObjectKey> wanted) {
        List<HasMetadata> desired = UnitModel.desired(spec, unit);
        desired.forEach(object -> wanted.add(ObjectKey.of(object)));
        // The Service and the HTTPRoute do not depend on each other: written at once, a unit is routed one API round
        // trip after it is Ready instead of two (docs/benchmarks.md).
        allAtOnce(desired.stream().<Runnable>map(object -> () -> ensure(object, unit, pod)).toList());
    }

    private void ensure(HasMetadata object, UnitModel.UnitPod unit, Pod pod) {
        HasMetadata actual = objects.get(object);
        ObjectWriter.Written written = writer.ensure(object, actual, actual != null && objects.specDrifted(actual));
        ObjectWriter.Outcome outcome = written.outcome();
        if (outcome == ObjectWriter.Outcome.UNCHANGED) {
            return;
        }
        objects.written(written.object());
        if (!stillCached(pod)) {
            // The pod left while we wrote: its removal hook may have looked for its objects before this one existed.
            // Without a garbage collector nothing else would delete it.
            delete(written.object());
            return;
        }
        LOG.debugf("%s %s for pod %s", outcome, ObjectKey.of(object), unit.name());
        boolean newForThisPod = actual == null || UnitObjectCache.podOwners(actual).stream()
                .noneMatch(o -> unit.uid().equals(o.getUid()));
        if (object instanceof HTTPRoute && newForThisPod) {
            recordLatency(pod);
        }
    }

    private boolean stillCached(Pod pod) {
        IndexerResourceCache<Pod> cache = pods;
        return cache == null || cache.get(ResourceID.fromResource(pod))
                .filter(p -> p.getMetadata().getUid().equals(pod.getMetadata().getUid())).isPresent();
    }

    /**
     * Runs independent writes concurrently: all but the first on {@link #parallelWrites}, the first on this thread.
     * Waits for all of them, then rethrows the first failure, so JOSDK retries the reconcile as for a single write.
     */
    private void allAtOnce(List<Runnable> writes) {
        if (writes.isEmpty()) {
            return;
        }
        List<CompletableFuture<Void>> others = writes.subList(1, writes.size()).stream()
                .map(w -> CompletableFuture.runAsync(w, parallelWrites)).toList();
        RuntimeException failure = null;
        try {
            writes.get(0).run();
        } catch (RuntimeException e) {
            failure = e;
        }
        for (CompletableFuture<Void> other : others) {
            try {
                other.join();
            } catch (CompletionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException cause ? cause : e;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void delete(HasMetadata object) {
        writer.delete(object);
        objects.deleted(object);
    }

    private void recordLatency(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return;
        }
        pod.getStatus().getConditions().stream()
                .filter(c -> "Ready".equals(c.getType()) && c.getLastTransitionTime() != null).findFirst()
                .ifPresent(ready -> {
                    Duration elapsed = Duration.between(Instant.parse(ready.getLastTransitionTime()), clock.instant());
                    if (!elapsed.isNegative()) {
                        latency.record(elapsed);
                    }
                });
    }

    private void warnOnce(Pod pod, GatewayRef gateway, UnitRouting.Reject reject) {
        if (warned.add(pod.getMetadata().getUid() + "/" + reject.reason())) {
            meters.counter("texera_gateway_units_rejected_total", "reason", reject.reason().name(),
                    "gateway", gateway.namespace() + "/" + gateway.name()).increment();
            events.warning(pod, reject.reason().name(), reject.message());
        }
    }

    /** Pods of the same namespace that may claim the same id: by the id index when the gateway uses the default label. */
    private List<PodFacts> samePool(EffectiveSpec spec, PodFacts pod) {
        String idLabel = spec.units().idLabel();
        Stream<Pod> candidates;
        if (TexeraDefaults.UNIT_ID_LABEL.equals(idLabel)) {
            String id = pod.labels().get(idLabel);
            candidates = id == null ? Stream.empty() : withUnitId(pod.namespace(), id);
        } else {
            candidates = pods.byIndex(PODS_BY_NAMESPACE, pod.namespace()).stream();
        }
        return candidates.map(PodFacts::of).toList();
    }

    /**
     * The TexeraGateways whose pool is this namespace. A scan, not an index: fabric8 updates an index entry by
     * removing it and adding it again, so a reconcile that reads the index while a gateway's status is being written
     * (every second while units change) can see no gateway, route nothing, and nothing asks again. That is the likely
     * reason one unit of 10,000 stayed unrouted in the benchmark (docs/benchmarks.md). The cache itself swaps each
     * object atomically, and gateways are few.
     */
    private List<TexeraGateway> gatewaysIn(String namespace) {
        InformerEventSource<TexeraGateway, Pod> source = gateways;
        return source == null ? List.of() : source.list().filter(g -> namespace.equals(poolNamespace(g))).toList();
    }

    /** Read from the spec, not resolved: gatewaysIn asks for every gateway on every reconcile. */
    private static String poolNamespace(TexeraGateway gateway) {
        return SpecResolver.unitNamespace(gateway.getSpec() == null ? null : gateway.getSpec().getComputingUnits());
    }

    /**
     * A gateway changed: the pods it selects now, and the pods that own its unit objects (so a selector or namespace
     * change also reaches the units it no longer selects).
     */
    private Set<ResourceID> podsOf(TexeraGateway gateway) {
        Set<ResourceID> ids = new HashSet<>();
        IndexerResourceCache<Pod> cache = pods;
        if (cache != null) {
            String pool = poolNamespace(gateway);
            Map<String, String> selector = SpecResolver.resolve(gateway) instanceof SpecResolution.Valid valid
                    ? valid.spec().units().podSelector()
                    : Map.of();
            cache.byIndex(PODS_BY_NAMESPACE, pool).stream()
                    .filter(p -> p.getMetadata().getLabels() != null
                            && p.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
                    .forEach(p -> ids.add(ResourceID.fromResource(p)));
        }
        GatewayRef ref = new GatewayRef(gateway.getMetadata().getNamespace(), gateway.getMetadata().getName());
        if (objects.started()) {
            objects.ofGateway(ref)
                    .forEach(o -> UnitObjectCache.podOwners(o)
                            .forEach(owner -> ids.add(new ResourceID(owner.getName(), o.getMetadata().getNamespace()))));
        }
        return ids;
    }

    /** A unit object changed or went: its owner and every pod with its id decide again (put back, or take over). */
    private void unitObjectChanged(HasMetadata object) {
        String namespace = object.getMetadata().getNamespace();
        Set<ResourceID> ids = new HashSet<>();
        UnitObjectCache.podOwners(object).forEach(owner -> ids.add(new ResourceID(owner.getName(), namespace)));
        IndexerResourceCache<Pod> cache = pods;
        String id = object.getMetadata().getLabels() == null ? null : object.getMetadata().getLabels().get(Labels.UNIT_ID);
        if (cache != null && id != null) {
            withUnitId(namespace, id).forEach(p -> ids.add(ResourceID.fromResource(p)));
        }
        ids.forEach(podNudge::reconcile);
    }

    /** A gateway's ext-auth policy appeared or went: its units are routed, or unrouted, accordingly. */
    private void authPolicyChanged(GatewayRef gateway) {
        InformerEventSource<TexeraGateway, Pod> source = gateways;
        if (source == null || !source.isRunning()) {
            // The policies' first list can come before JOSDK starts this source; every pod is reconciled at that
            // start anyway, and each reads the policy itself.
            return;
        }
        source.get(new ResourceID(gateway.name(), gateway.namespace())).ifPresent(g -> podsOf(g).forEach(podNudge::reconcile));
    }

    /** Terminating: no route any more, and a same-id pod may take over; JOSDK will not reconcile it for us. */
    private void podTerminating(Pod pod) {
        retried("unroute terminating pod " + podKey(pod), 1, () -> {
            if (objects.started() && leadership.leading()) {
                reconcileUnit(pod);
                nudgeSameId(pod);
            }
        });
    }

    /**
     * Runs a pod hook's work on the removals thread and, when the API server refuses or drops a request (a 429, a
     * closed connection), again after 1, 2, 4 … 30 s, up to {@link #HOOK_ATTEMPTS} times: JOSDK retries only
     * reconciles, and no other event comes for a pod that is gone.
     */
    private void retried(String what, int attempt, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            if (attempt >= HOOK_ATTEMPTS) {
                LOG.warnf(e, "could not %s after %d attempts; the orphan sweep will", what, attempt);
                return;
            }
            long delay = Math.min(30, 1L << (attempt - 1));
            LOG.infof("could not %s (%s); retrying in %d s", what, e.getMessage(), delay);
            ticker.schedule(() -> removals.execute(() -> retried(what, attempt + 1, work)), delay, TimeUnit.SECONDS);
        }
    }

    private void nudgeSameId(Pod pod) {
        String id = pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(TexeraDefaults.UNIT_ID_LABEL);
        IndexerResourceCache<Pod> cache = pods;
        if (cache != null && id != null) {
            withUnitId(pod.getMetadata().getNamespace(), id)
                    .filter(p -> !p.getMetadata().getUid().equals(pod.getMetadata().getUid()))
                    .forEach(p -> podNudge.reconcile(ResourceID.fromResource(p)));
        }
    }

    /** The pod was deleted or lost the selector label: its unit objects go, and a same-id pod may take over. */
    private void podRemoved(Pod pod) {
        board.forget(pod.getMetadata().getUid());
        warned.removeIf(key -> key.startsWith(pod.getMetadata().getUid() + "/"));
        retried("clean up after pod " + podKey(pod), 1, () -> {
            if (!leadership.leading()) {
                return; // a standby writes nothing; the leader's start-up sweep deletes what this pod leaves
            }
            if (objects.started()) {
                objects.ownedBy(pod.getMetadata().getUid()).toList().forEach(o -> {
                    LOG.debugf("deleting %s: pod %s/%s is gone", ObjectKey.of(o), pod.getMetadata().getNamespace(),
                            pod.getMetadata().getName());
                    delete(o);
                });
            }
            nudgeSameId(pod);
        });
    }

    /**
     * Every second: start the unit object cache once the CRDs exist, flush status counts, and sweep orphans at start
     * and then every {@code texera.operator.orphan-sweep-interval} (for clusters without a garbage collector).
     */
    private void tick() {
        try {
            if (!objects.ensureStarted() || pods == null || !primarySynced()) {
                return;
            }
            if (!started) {
                board.expect(pods.list().map(p -> p.getMetadata().getUid()).toList());
                started = true;
            }
            if (!leadership.leading()) {
                nextSweep = Instant.MIN; // a standby neither sweeps nor writes status; it sweeps once it leads
                return;
            }
            if (!clock.instant().isBefore(nextSweep)) {
                sweepOrphans();
                nextSweep = clock.instant().plus(sweepInterval);
            }
            InformerEventSource<TexeraGateway, Pod> source = gateways;
            board.flush(source == null ? List.of()
                    : source.list().map(g -> new GatewayRef(g.getMetadata().getNamespace(), g.getMetadata().getName())).toList());
            housekeepingRecovered();
        } catch (RuntimeException e) {
            housekeepingFailed(e);
        }
    }

    /** One WARN per distinct failure (the tick retries every second), its stack trace at DEBUG, one INFO on recovery. */
    private void housekeepingFailed(RuntimeException e) {
        String failure = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (!failure.equals(housekeepingFailure)) {
            LOG.warnf("unit housekeeping failed, retrying every second (logged again only if the failure changes): %s",
                    failure);
        }
        LOG.debug("unit housekeeping failure", e);
        housekeepingFailure = failure;
    }

    private void housekeepingRecovered() {
        if (housekeepingFailure != null) {
            LOG.info("unit housekeeping works again");
            housekeepingFailure = null;
        }
    }

    private boolean primarySynced() {
        if (!(pods instanceof ManagedInformerEventSource<?, ?, ?> informer)) {
            return false;
        }
        var indicators = informer.informerHealthIndicators().values();
        return !indicators.isEmpty() && indicators.stream().allMatch(InformerHealthIndicator::hasSynced);
    }

    /** Unit objects whose pod is not in the cache (deleted while we were down, or no longer a unit pod). */
    private void sweepOrphans() {
        objects.all().toList().forEach(object -> {
            boolean owned = UnitObjectCache.podOwners(object).stream().anyMatch(owner -> pods
                    .get(new ResourceID(owner.getName(), object.getMetadata().getNamespace()))
                    .filter(p -> owner.getUid().equals(p.getMetadata().getUid())).isPresent());
            if (!owned) {
                LOG.infof("deleting orphaned %s: its pod is gone", ObjectKey.of(object));
                delete(object);
            }
        });
    }

    /** What the pod cache holds for a pod: the pruned facts, never the spec. */
    java.util.Optional<Pod> cachedPod(String namespace, String name) {
        IndexerResourceCache<Pod> cache = pods;
        return cache == null ? java.util.Optional.empty() : cache.get(new ResourceID(name, namespace));
    }

    /**
     * The cached pods of this namespace with this value of the default unit id label: the pod store's lookup, each
     * read back from this controller's cache (the lookup spans every live pod store).
     */
    private Stream<Pod> withUnitId(String namespace, String id) {
        IndexerResourceCache<Pod> cache = pods;
        return cache == null ? Stream.empty() : PrunedPodStore.namesWithUnitId(namespace, id).stream()
                .map(name -> cache.get(new ResourceID(name, namespace))).flatMap(java.util.Optional::stream)
                .filter(p -> p.getMetadata().getLabels() != null
                        && id.equals(p.getMetadata().getLabels().get(TexeraDefaults.UNIT_ID_LABEL)));
    }

    /** For log lines. */
    static String podKey(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    /**
     * Housekeeping stops when shutdown begins, before QOSDK stops the operator and closes the client it uses; removals
     * already queued still run (and their retries fall to the next start's orphan sweep).
     */
    void stopTicking(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        ScheduledFuture<?> task = ticking;
        if (task != null) {
            task.cancel(false);
        }
    }

    @PreDestroy
    void stop() {
        ticker.shutdownNow();
        removals.shutdownNow();
        parallelWrites.shutdownNow();
    }
}
