package org.apache.texera.gateway.reconciler.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.apache.texera.gateway.api.v1alpha1.TexeraGateway;
import org.apache.texera.gateway.config.OperatorConfig;
import org.apache.texera.gateway.envoygateway.SecurityPolicy;
import org.apache.texera.gateway.kube.ApiDiscovery;
import org.apache.texera.gateway.kube.EventRecorder;
import org.apache.texera.gateway.kube.ObjectKey;
import org.apache.texera.gateway.kube.ObjectWriter;
import org.apache.texera.gateway.kube.PagedList;
import org.apache.texera.gateway.model.Consent;
import org.apache.texera.gateway.model.EffectiveSpec;
import org.apache.texera.gateway.model.GatewayModel;
import org.apache.texera.gateway.model.GatewayRef;
import org.apache.texera.gateway.model.Labels;
import org.apache.texera.gateway.model.Names;
import org.apache.texera.gateway.model.SpecResolution;
import org.apache.texera.gateway.model.SpecResolver;
import org.apache.texera.gateway.reconciler.unit.UnitReconciler;
import org.apache.texera.gateway.reconciler.unit.UnitStatusBoard;
import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Keeps one TexeraGateway's static topology true: writes what the model wants and nothing that is already so, deletes
 * what it no longer wants, and reports what Envoy Gateway says about it. Units are the unit reconciler's business.
 */
@ControllerConfiguration(name = TexeraGatewayReconciler.NAME)
public class TexeraGatewayReconciler implements Reconciler<TexeraGateway>, Cleaner<TexeraGateway> {
    public static final String NAME = "texeragateway";
    private static final Logger LOG = Logger.getLogger(TexeraGatewayReconciler.class);
    /** How many of one reconcile's writes are in flight at once. */
    static final int WRITERS = 4;
    /** How soon a deletion looks again when unit routes came back while it deleted them. */
    private static final Duration UNIT_ROUTES_RECHECK = Duration.ofSeconds(1);
    /** After an optimistic-concurrency conflict on the status: at once, on the version the informer brings. */
    private static final Duration STATUS_CONFLICT_RETRY = Duration.ofMillis(200);

    private final ApiDiscovery discovery;
    private final ObjectWriter writer;
    private final TexeraGatewayStatusWriter statusWriter;
    private final EventRecorder events;
    private final KubernetesClient client;
    private final MeterRegistry meters;
    private final OperatorConfig config;
    private final Recheck recheck;
    private final UnitStatusBoard units;
    private final UnitRoutesFirst unitRoutesFirst;
    /** Namespaces (labels only matter): whether each admits a gateway's namespace, see {@link Consent}. */
    private volatile InformerEventSource<Namespace, TexeraGateway> namespaces;

    public TexeraGatewayReconciler(ApiDiscovery discovery, ObjectWriter writer, TexeraGatewayStatusWriter statusWriter,
            EventRecorder events, KubernetesClient client, MeterRegistry meters, OperatorConfig config, UnitStatusBoard units) {
        this.units = units;
        this.discovery = discovery;
        this.writer = writer;
        this.statusWriter = statusWriter;
        this.events = events;
        this.client = client;
        this.meters = meters;
        this.config = config;
        this.recheck = new Recheck(config.recheckMin(), config.recheckMax());
        this.unitRoutesFirst = new UnitRoutesFirst(client, writer);
    }

    /**
     * Unit count changes, coalesced by the unit status board, reach the status through its event source; namespaces
     * give consent; the topology watches start here too when their CRDs are already installed.
     */
    @Override
    public List<EventSource<?, TexeraGateway>> prepareEventSources(EventSourceContext<TexeraGateway> context) {
        namespaces = NamespaceConsent.eventSource(context);
        List<EventSource<?, TexeraGateway>> sources = new ArrayList<>(List.of(units.gatewayEvents(), namespaces));
        sources.addAll(TopologyWatches.atStart(context, discovery));
        return sources;
    }

    @Override
    public UpdateControl<TexeraGateway> reconcile(TexeraGateway resource, Context<TexeraGateway> context) {
        Timer.Sample sample = Timer.start(meters);
        String result = "error";
        try {
            ReconcileOutcome outcome = reconcileTopology(resource, context);
            result = outcome.name().toLowerCase();
            LOG.debugf("reconciled %s/%s: %s", resource.getMetadata().getNamespace(), resource.getMetadata().getName(), result);
            ResourceID id = ResourceID.fromResource(resource);
            if (outcome == ReconcileOutcome.READY || outcome == ReconcileOutcome.INVALID_SPEC
                    || outcome == ReconcileOutcome.CONSENT_MISSING) {
                // Informers bring every change that matters from here on: the spec, our objects' status, or a
                // namespace's consent labels.
                recheck.reset(id);
                return UpdateControl.noUpdate();
            }
            return UpdateControl.<TexeraGateway>noUpdate().rescheduleAfter(recheck.next(id));
        } catch (TexeraGatewayStatusWriter.StatusConflict e) {
            result = "conflict";
            LOG.debugf("%s/%s changed while its status was written; reconciling again", resource.getMetadata().getNamespace(),
                    resource.getMetadata().getName());
            return UpdateControl.<TexeraGateway>noUpdate().rescheduleAfter(STATUS_CONFLICT_RETRY);
        } finally {
            sample.stop(meters.timer("texera_gateway_reconcile_seconds", "controller", NAME, "result", result));
        }
    }

    enum ReconcileOutcome {
        READY, PENDING, INVALID_SPEC, CRDS_MISSING, WRITE_REFUSED, CONSENT_MISSING
    }

    private static String serverMessage(KubernetesClientException e) {
        return e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
    }

    private ReconcileOutcome reconcileTopology(TexeraGateway resource, Context<TexeraGateway> context) {
        long generation = resource.getMetadata().getGeneration() == null ? 0 : resource.getMetadata().getGeneration();
        List<String> missing = discovery.missingCrds();
        if (!missing.isEmpty()) {
            String message = "install Envoy Gateway ≥ 1.9 (with its CRDs) and the Gateway API standard CRDs ≥ 1.4; missing: "
                    + String.join(", ", missing);
            statusWriter.writeBlocked(resource, Conditions.REASON_CRDS_MISSING, message, generation);
            return ReconcileOutcome.CRDS_MISSING;
        }
        TopologyWatches.ensureRegistered(context);

        SpecResolution resolution = SpecResolver.resolve(resource);
        if (resolution instanceof SpecResolution.Invalid invalid) {
            // The objects of the last good spec stay as they are: a typo must not take Texera down.
            statusWriter.writeBlocked(resource, Conditions.REASON_INVALID_SPEC, invalid.message(), generation);
            return ReconcileOutcome.INVALID_SPEC;
        }
        EffectiveSpec spec = ((SpecResolution.Valid) resolution).spec();
        // Only what the target namespaces (and the operator's administrator, for cluster scope) consented to.
        Consent.Decision consent = Consent.decide(spec.gateway(), GatewayModel.desired(resource, spec).objects(),
                (namespace, scope) -> NamespaceConsent.admits(namespaces, namespace, scope, spec.gateway()),
                config.allowClusterScopedWrites());
        Map<ObjectKey, HasMetadata> observed = new HashMap<>(TopologyWatches.observed(context));
        List<HasMetadata> desired = consent.clusterScopeRefused() ? keepGatewayClass(consent.allowed(), observed)
                : consent.allowed();
        GatewayRef gateway = spec.gateway();
        // One refused write (a quota, an admission webhook, a terminating namespace) must not stop the others: each
        // is attempted, and the refusals are reported in the status with the API server's own words.
        List<String> refused = new ArrayList<>();
        // A unit policy that someone else is deleting (by hand, or with its namespace) is released once its routes are
        // gone, and written again after it is gone; nothing is written to an object that is being deleted.
        boolean unitPolicyHeld = false;
        for (HasMetadata seen : observed.values()) {
            if (UnitRoutesFirst.isUnitPolicy(seen, gateway) && UnitRoutesFirst.deleting(seen)) {
                unitPolicyHeld |= !removeUnitPolicy(seen, gateway, refused);
            }
        }
        List<HasMetadata> toWrite = desired.stream().filter(o -> {
            HasMetadata seen = observed.get(ObjectKey.of(o));
            return seen == null || !UnitRoutesFirst.deleting(seen);
        }).toList();
        for (Write write : writeAll(toWrite, observed, context)) {
            if (write.refusal() != null) {
                refused.add(write.refusal());
                continue;
            }
            if (write.outcome() != ObjectWriter.Outcome.UNCHANGED) {
                LOG.debugf("%s %s", write.outcome(), write.key());
                // The API server's answer, not the cache: a changed route has a new generation, and Envoy Gateway's
                // status, still for the old one, must not make this status Ready.
                observed.put(write.key(), write.object());
            }
        }
        Set<ObjectKey> wanted = desired.stream().map(ObjectKey::of).collect(Collectors.toSet());
        List<ObjectKey> held = new ArrayList<>();
        observed.entrySet().removeIf(entry -> {
            if (wanted.contains(entry.getKey()) || UnitRoutesFirst.deleting(entry.getValue())) {
                return false;
            }
            if (entry.getValue().getMetadata().getNamespace() == null) {
                // A GatewayClass may serve other Gateways by now: a changed setting never deletes it, only the
                // TexeraGateway's deletion does (cleanup).
                return false;
            }
            LOG.infof("deleting %s: %s/%s no longer wants it", entry.getKey(), resource.getMetadata().getNamespace(),
                    resource.getMetadata().getName());
            if (UnitRoutesFirst.isUnitPolicy(entry.getValue(), gateway)) {
                // Consent withdrawn, the pool moved, its namespace going: the routes it covers go first.
                boolean gone = removeUnitPolicy(entry.getValue(), gateway, refused);
                if (!gone) {
                    held.add(entry.getKey());
                }
                return gone;
            }
            try {
                writer.delete(entry.getValue());
                return true;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 409) { // changed since the cache saw it: decided again on the next reconcile
                    held.add(entry.getKey());
                } else {
                    refused.add(entry.getKey() + " (delete): " + serverMessage(e));
                }
                return false;
            }
        });
        ReconcileOutcome outcome;
        if (!consent.complete()) {
            String message = consent.message(spec.gateway(), namespace -> NamespaceConsent.exists(namespaces, namespace));
            LOG.debugf("%s/%s: %s", resource.getMetadata().getNamespace(), resource.getMetadata().getName(), message);
            statusWriter.writeBlocked(resource, Conditions.REASON_CONSENT_MISSING, message, generation);
            outcome = ReconcileOutcome.CONSENT_MISSING;
        } else if (!refused.isEmpty()) {
            // Logged at WARN once, by the status writer, when Ready turns WriteRefused; every attempt at DEBUG.
            LOG.debugf("%s/%s: the API server refused %d writes: %s", resource.getMetadata().getNamespace(),
                    resource.getMetadata().getName(), refused.size(), refused);
            statusWriter.writeBlocked(resource, Conditions.REASON_WRITE_REFUSED, "the API server refused " + refused.size()
                    + " write(s); first: " + refused.get(0), generation);
            outcome = ReconcileOutcome.WRITE_REFUSED;
        } else {
            TopologyStatus.Result status = TopologyStatus.evaluate(desired, observed, config.gatewayControllerName(), generation);
            statusWriter.write(resource, status, generation);
            outcome = status.pending().isEmpty() ? ReconcileOutcome.READY : ReconcileOutcome.PENDING;
        }
        // A unit policy still held by its routes is come back for, whatever else the status says.
        return unitPolicyHeld || !held.isEmpty() ? ReconcileOutcome.PENDING : outcome;
    }

    /**
     * Refused means unchanged: while the GatewayClass the spec asks the operator to create is refused, a Gateway that
     * exists keeps the class it has, instead of moving to one that was never created.
     */
    private static List<HasMetadata> keepGatewayClass(List<HasMetadata> allowed, Map<ObjectKey, HasMetadata> observed) {
        return allowed.stream().map(object -> {
            if (object instanceof Gateway gateway && observed.get(ObjectKey.of(object)) instanceof Gateway live
                    && live.getSpec() != null && live.getSpec().getGatewayClassName() != null) {
                Gateway kept = new GatewayBuilder(gateway).editSpec()
                        .withGatewayClassName(live.getSpec().getGatewayClassName()).endSpec().build();
                return (HasMetadata) kept;
            }
            return object;
        }).toList();
    }

    /** The GatewayClass this TexeraGateway created goes with it, unless another Gateway uses it. */
    private void deleteUnlessUsed(GatewayClass gatewayClass, GatewayRef gateway) {
        String name = gatewayClass.getMetadata().getName();
        List<String> users = client.resources(Gateway.class).inAnyNamespace().list().getItems().stream()
                .filter(g -> name.equals(g.getSpec() == null ? null : g.getSpec().getGatewayClassName()))
                .filter(g -> !(gateway.namespace().equals(g.getMetadata().getNamespace())
                        && Names.gateway(gateway).equals(g.getMetadata().getName())))
                .map(g -> g.getMetadata().getNamespace() + "/" + g.getMetadata().getName()).toList();
        if (users.isEmpty()) {
            writer.delete(gatewayClass);
        } else {
            LOG.infof("keeping GatewayClass %s, created for %s: Gateways %s use it", name, gateway, users);
        }
    }

    /** {@link UnitRoutesFirst#removePolicy}, with a refusal reported instead of thrown; true when the policy may go. */
    private boolean removeUnitPolicy(HasMetadata policy, GatewayRef gateway, List<String> refused) {
        try {
            return unitRoutesFirst.removePolicy((SecurityPolicy) policy, gateway);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) { // 409: it changed while we looked; the next reconcile sees the new version
                refused.add(ObjectKey.of(policy) + " (delete): " + serverMessage(e));
            }
            return false;
        }
    }

    /** One desired object's write: its outcome and the object as the API server now has it, or its refusal. */
    private record Write(ObjectKey key, HasMetadata object, ObjectWriter.Outcome outcome, String refusal) {
    }

    /**
     * Ensures every desired object, {@value #WRITERS} writes at a time (a first reconcile creates a dozen objects, one
     * round trip each), and returns the writes in the order of {@code desired}, so what is logged and reported does
     * not depend on which write came back first. The calling thread is one of the writers.
     */
    private List<Write> writeAll(List<HasMetadata> desired, Map<ObjectKey, HasMetadata> observed, Context<TexeraGateway> context) {
        Write[] writes = new Write[desired.size()];
        AtomicInteger next = new AtomicInteger();
        Runnable writerLoop = () -> {
            for (int i = next.getAndIncrement(); i < writes.length; i = next.getAndIncrement()) {
                writes[i] = write(desired.get(i), observed);
            }
        };
        int helpers = Math.min(WRITERS, writes.length) - 1;
        List<CompletableFuture<Void>> others = new ArrayList<>();
        if (helpers > 0) {
            ExecutorService executor = context.getControllerConfiguration().getConfigurationService()
                    .getExecutorServiceManager().cachingExecutorService();
            for (int i = 0; i < helpers; i++) {
                others.add(CompletableFuture.runAsync(writerLoop, executor));
            }
        }
        writerLoop.run();
        try {
            CompletableFuture.allOf(others.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
        return List.of(writes);
    }

    private Write write(HasMetadata object, Map<ObjectKey, HasMetadata> observed) {
        ObjectKey key = ObjectKey.of(object);
        try {
            ObjectWriter.Written written = writer.ensure(object, observed.get(key));
            return new Write(key, written.object(), written.outcome(), null);
        } catch (KubernetesClientException e) {
            return new Write(key, object, null, key + ": " + serverMessage(e));
        }
    }

    /**
     * Objects in the TexeraGateway's namespace go with it through their owner reference. What it cannot own (a created
     * GatewayClass, the pool's policies, grants in other namespaces, unit routes) is deleted here, by our labels only.
     */
    @Override
    public DeleteControl cleanup(TexeraGateway resource, Context<TexeraGateway> context) {
        GatewayRef gateway = new GatewayRef(resource.getMetadata().getNamespace(), resource.getMetadata().getName());
        if (!discovery.missingCrds().isEmpty()) {
            return DeleteControl.defaultDelete();
        }
        TopologyWatches.ensureRegistered(context);
        // Fail closed: every unit route of this gateway goes before any policy that covers it. The unit controller
        // routes nothing for a gateway being deleted; a second read confirms that none came back meanwhile.
        unitRoutesFirst.deleteRoutes(gateway, null);
        PagedList.forEach(client.services().inAnyNamespace().withLabels(Labels.unitRouteSelector(gateway)),
                UnitReconciler.LIST_CHUNK, writer::delete);
        if (unitRoutesFirst.deleteRoutes(gateway, null) > 0) {
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(UNIT_ROUTES_RECHECK);
        }
        for (HasMetadata object : TopologyWatches.observed(context).values()) {
            if (UnitRoutesFirst.isUnitPolicy(object, gateway)) {
                unitRoutesFirst.removePolicy((SecurityPolicy) object, gateway);
            } else if (object instanceof GatewayClass gatewayClass) {
                deleteUnlessUsed(gatewayClass, gateway);
            } else if (!gateway.namespace().equals(object.getMetadata().getNamespace())) {
                writer.delete(object);
            }
        }
        events.normal(resource, Conditions.EVENT_DELETED,
                "removed the objects outside " + gateway.namespace() + " that this TexeraGateway had");
        statusWriter.forget(resource);
        return DeleteControl.defaultDelete();
    }
}
