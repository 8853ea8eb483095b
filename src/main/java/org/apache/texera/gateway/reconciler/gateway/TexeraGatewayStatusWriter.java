package org.apache.texera.gateway.reconciler.gateway;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.texera.gateway.api.v1alpha1.TexeraGateway;
import org.apache.texera.gateway.api.v1alpha1.TexeraGatewayStatus;
import org.apache.texera.gateway.api.v1alpha1.UnitCounts;
import org.apache.texera.gateway.kube.EventRecorder;
import org.apache.texera.gateway.model.GatewayRef;
import org.apache.texera.gateway.model.Names;
import org.apache.texera.gateway.model.SpecResolution;
import org.apache.texera.gateway.model.SpecResolver;
import org.apache.texera.gateway.reconciler.unit.UnitReconciler;
import org.apache.texera.gateway.reconciler.unit.UnitStatusBoard;
import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Writes a TexeraGateway's status only when it changed, keeping each condition's lastTransitionTime unless its status
 * flipped, and records an Event when Ready changes.
 */
@ApplicationScoped
public class TexeraGatewayStatusWriter {
    private static final Logger LOG = Logger.getLogger(TexeraGatewayStatusWriter.class);
    private final KubernetesClient client;
    private final Clock clock;
    private final EventRecorder events;
    private final UnitStatusBoard units;
    private final MeterRegistry meters;
    private final Map<String, AtomicInteger> readyByGateway =
            new ConcurrentHashMap<>();

    public TexeraGatewayStatusWriter(KubernetesClient client, Clock clock, EventRecorder events, UnitStatusBoard units,
            MeterRegistry meters) {
        this.client = client;
        this.clock = clock;
        this.events = events;
        this.units = units;
        this.meters = meters;
    }

    /** The outcome of a full reconcile. */
    void write(TexeraGateway resource, TopologyStatus.Result result, long generation) {
        TexeraGatewayStatus previous = resource.getStatus();
        TexeraGatewayStatus next = new TexeraGatewayStatus();
        next.setObservedGeneration(generation);
        List<Condition> conditions = new ArrayList<>(result.conditions());
        conditions.add(unitsRouted(resource, generation));
        next.setConditions(Conditions.merge(previous == null ? null : previous.getConditions(), conditions, clock.instant()));
        next.setAddresses(new ArrayList<>(result.addresses()));
        next.setPending(new ArrayList<>(result.pending()));
        next.setUnits(unitCounts(resource, previous));
        patchIfChanged(resource, previous, next);
    }

    /** Ready=False before anything could be written (invalid spec, missing CRDs); the rest stays as last reported. */
    void writeBlocked(TexeraGateway resource, String reason, String message, long generation) {
        TexeraGatewayStatus previous = resource.getStatus();
        TexeraGatewayStatus next = new TexeraGatewayStatus();
        next.setObservedGeneration(generation);
        // The other conditions speak of Envoy Gateway's view of this generation, which was not looked at: Unknown,
        // so that a `kubectl wait` on any of them cannot pass on an answer for an older spec.
        String notEvaluated = "not evaluated for generation " + generation + ": Ready is False (" + reason + ")";
        next.setConditions(Conditions.merge(previous == null ? null : previous.getConditions(),
                List.of(Conditions.of(Conditions.READY, false, reason, message, generation),
                        Conditions.of(Conditions.GATEWAY_PROGRAMMED, "Unknown", reason, notEvaluated, generation),
                        Conditions.of(Conditions.ROUTES_ACCEPTED, "Unknown", reason, notEvaluated, generation),
                        Conditions.of(Conditions.POLICIES_ACCEPTED, "Unknown", reason, notEvaluated, generation),
                        unitsRouted(resource, generation)),
                clock.instant()));
        if (previous != null) {
            next.setAddresses(previous.getAddresses());
            next.setPending(previous.getPending());
        }
        next.setUnits(unitCounts(resource, previous));
        patchIfChanged(resource, previous, next);
    }

    /**
     * Whether this gateway's computing units are routed, and if not, the one thing to do about it: a podSelector the
     * operator's pod watch cannot satisfy, pods claimed by two gateways, Ready units held back for want of the
     * ext-auth policy, or rejected pods (each with an Event of its own).
     */
    private Condition unitsRouted(TexeraGateway resource, long generation) {
        GatewayRef gateway = new GatewayRef(resource.getMetadata().getNamespace(), resource.getMetadata().getName());
        String watched = UnitReconciler.POD_SELECTOR;
        String key = watched.substring(0, watched.indexOf('='));
        String value = watched.substring(watched.indexOf('=') + 1);
        if (SpecResolver.resolve(resource) instanceof SpecResolution.Valid valid
                && !value.equals(valid.spec().units().podSelector().get(key))) {
            return Conditions.of(Conditions.UNITS_ROUTED, false, Conditions.UNITS_REASON_SELECTOR_CANNOT_MATCH,
                    "computingUnits.podSelector " + valid.spec().units().podSelector() + " lacks " + watched
                            + ": the operator watches only pods with that label, so no unit can be routed; add it to the "
                            + "podSelector", generation);
        }
        UnitStatusBoard.Tally tally = units.tally(gateway);
        if (tally == null) {
            // After a restart, as the counts: the last word stands until every pod has been seen again, so that a
            // restart with nothing changed writes no status.
            Condition last = resource.getStatus() == null ? null
                    : Conditions.find(resource.getStatus().getConditions(), Conditions.UNITS_ROUTED);
            return last != null ? last
                    : Conditions.of(Conditions.UNITS_ROUTED, "Unknown", Conditions.UNITS_REASON_COUNTING,
                            "not every pod has been seen since the operator started", generation);
        }
        if (tally.claimedTwice() > 0) {
            return Conditions.of(Conditions.UNITS_ROUTED, false, Conditions.UNITS_REASON_CLAIMED_TWICE,
                    tally.claimedTwice() + " pod(s) are also selected by another TexeraGateway whose units the pool "
                            + "admits, so neither routes them: make the podSelectors disjoint, or remove one of the "
                            + "gateways (Events on the pods name them)", generation);
        }
        if (tally.waitingForPolicy() > 0) {
            return Conditions.of(Conditions.UNITS_ROUTED, false, Conditions.UNITS_REASON_WAITING_FOR_POLICY,
                    tally.waitingForPolicy() + " Ready unit(s) wait for the ext-auth SecurityPolicy "
                            + Names.unitPolicies(gateway) + " in their pool, which is missing or being deleted; Ready and "
                            + "the Events say why it is not written", generation);
        }
        if (tally.rejected() > 0) {
            return Conditions.of(Conditions.UNITS_ROUTED, false, Conditions.UNITS_REASON_REJECTED,
                    tally.rejected() + " pod(s) rejected for a bad or duplicate id label; the Warning Events on those "
                            + "pods say which and why", generation);
        }
        return Conditions.of(Conditions.UNITS_ROUTED, true, Conditions.UNITS_REASON_ROUTED,
                tally.routed() + " unit(s) routed, " + tally.waiting() + " waiting for their pod to be Ready",
                generation);
    }

    /** Unit counts as the unit reconciler last saw them; the previous ones until it has seen every pod once. */
    private UnitCounts unitCounts(TexeraGateway resource, TexeraGatewayStatus previous) {
        GatewayRef gateway = new GatewayRef(resource.getMetadata().getNamespace(), resource.getMetadata().getName());
        UnitCounts counts = units.counts(gateway);
        if (counts == null) {
            return previous == null ? null : previous.getUnits();
        }
        return counts;
    }

    private void patchIfChanged(TexeraGateway resource, TexeraGatewayStatus previous, TexeraGatewayStatus next) {
        if (next.equals(previous)) {
            return;
        }
        // An update of the status subresource at the resourceVersion we read: a concurrent change makes it fail and
        // the reconcile run again on fresh data, instead of overwriting newer status with older.
        TexeraGateway update = client.getKubernetesSerialization().clone(resource);
        update.setStatus(next);
        try {
            client.resource(update).updateStatus();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                throw new StatusConflict();
            }
            throw e;
        }
        meters.counter("texera_gateway_status_writes_total").increment();
        resource.setStatus(next);
        recordReadyGauge(resource, next);
        recordReadyChange(resource, previous, next);
        recordUnitsChange(resource, previous, next);
    }

    /** The TexeraGateway is gone: its Ready series goes too. */
    void forget(TexeraGateway resource) {
        String gateway = resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
        if (readyByGateway.remove(gateway) != null) {
            meters.find("texera_gateway_ready").tag("gateway", gateway).meters().forEach(meters::remove);
        }
    }

    /** 1 while the gateway's status says Ready=True, else 0; one series per TexeraGateway this replica has written. */
    private void recordReadyGauge(TexeraGateway resource, TexeraGatewayStatus status) {
        Condition ready = Conditions.find(status.getConditions(), Conditions.READY);
        String gateway = resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
        readyByGateway.computeIfAbsent(gateway, key -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder("texera_gateway_ready", value, AtomicInteger::get)
                    .tag("gateway", key).description("1 while the TexeraGateway is Ready, else 0").register(meters);
            return value;
        }).set(ready != null && "True".equals(ready.getStatus()) ? 1 : 0);
    }

    /**
     * The TexeraGateway changed since the reconcile read it (most often our own last status write, not in the cache
     * yet): nothing is wrong, the reconcile runs again on the newer version. Not an error to log with a stack trace.
     */
    static final class StatusConflict extends RuntimeException {
        StatusConflict() {
            super("the TexeraGateway changed while its status was written", null, false, false);
        }
    }

    /** A change of UnitsRouted's reason (units claimed twice, waiting for the policy, rejected): one Event. */
    private void recordUnitsChange(TexeraGateway resource, TexeraGatewayStatus previous, TexeraGatewayStatus next) {
        Condition before = previous == null ? null : Conditions.find(previous.getConditions(), Conditions.UNITS_ROUTED);
        Condition after = Conditions.find(next.getConditions(), Conditions.UNITS_ROUTED);
        if (after == null || "Unknown".equals(after.getStatus())
                || before != null && Objects.equals(before.getReason(), after.getReason())) {
            return;
        }
        LOG.infof("%s/%s: UnitsRouted=%s (%s): %s", resource.getMetadata().getNamespace(), resource.getMetadata().getName(),
                after.getStatus(), after.getReason(), after.getMessage());
        if ("False".equals(after.getStatus())) {
            events.warning(resource, after.getReason(), after.getMessage());
        } else if (before != null && "False".equals(before.getStatus())) {
            events.normal(resource, after.getReason(), after.getMessage());
        }
    }

    private void recordReadyChange(TexeraGateway resource, TexeraGatewayStatus previous, TexeraGatewayStatus next) {
        Condition before = previous == null ? null : Conditions.find(previous.getConditions(), Conditions.READY);
        Condition after = Conditions.find(next.getConditions(), Conditions.READY);
        if (after == null || before != null && Objects.equals(before.getStatus(), after.getStatus())
                && Objects.equals(before.getReason(), after.getReason())) {
            return;
        }
        // One line per change of Ready or its reason, with what to do: the log's view of the Events below. WARN when
        // someone has to act (Ready False for any reason but waiting for Envoy Gateway), else INFO.
        boolean act = "False".equals(after.getStatus()) && !Conditions.REASON_WAITING.equals(after.getReason());
        LOG.logf(act ? Logger.Level.WARN : Logger.Level.INFO, "%s/%s: Ready=%s (%s): %s",
                resource.getMetadata().getNamespace(), resource.getMetadata().getName(), after.getStatus(),
                after.getReason(), after.getMessage());
        if ("True".equals(after.getStatus())) {
            events.normal(resource, after.getReason(), after.getMessage());
        } else if (before != null || !Conditions.REASON_WAITING.equals(after.getReason())) {
            // Every change of Ready or of its reason is an Event, except the first wait of a new TexeraGateway.
            events.warning(resource, after.getReason(), after.getMessage());
        }
    }
}
