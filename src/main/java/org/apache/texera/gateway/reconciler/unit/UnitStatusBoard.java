package org.apache.texera.gateway.reconciler.unit;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.texera.gateway.api.v1alpha1.TexeraGateway;
import org.apache.texera.gateway.api.v1alpha1.UnitCounts;
import org.apache.texera.gateway.model.GatewayRef;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The unit reconciler's in-process tally of units per gateway, which the gateway's status shows. Counts are unknown
 * (null) until every pod that was cached at start has been reconciled once, so a restart writes no status with
 * half-known counts. A change of counts marks the gateway dirty; {@link #flush()} (every second) asks the gateway
 * controller to reconcile each dirty gateway once, however many units changed in between.
 */
@ApplicationScoped
public class UnitStatusBoard {

    enum State {
        ROUTED,
        /** Not Ready yet, or terminating. */
        WAITING,
        /** Ready, but the gateway's ext-auth policy is not in place: fail closed. */
        WAITING_FOR_POLICY,
        /** A bad or duplicate id. */
        REJECTED,
        /** Selected by two TexeraGateways whose units the pool admits. */
        CLAIMED_TWICE
    }

    /** What {@link #counts} adds up, with the states that need a person told apart. */
    public record Tally(int routed, int waiting, int waitingForPolicy, int rejected, int claimedTwice) {
    }

    private final MeterRegistry meters;
    /** gateway -> pod uid -> state. Keyed by uid: the pod cache keeps that string anyway, so the board adds none. */
    private final Map<GatewayRef, Map<String, State>> states = new ConcurrentHashMap<>();
    private final Set<GatewayRef> dirty = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean allDirty = new AtomicBoolean();
    private final Set<GatewayRef> gauges = ConcurrentHashMap.newKeySet();
    private final Set<String> reconciledSinceStart = ConcurrentHashMap.newKeySet();
    private final Nudge<TexeraGateway> gatewayNudge = new Nudge<>("unit-counts");
    private volatile Set<String> pendingAtStart;

    public UnitStatusBoard(MeterRegistry meters) {
        this.meters = meters;
    }

    /** The event source the gateway controller registers, through which unit count changes reach its status. */
    public Nudge<TexeraGateway> gatewayEvents() {
        return gatewayNudge;
    }

    /** Null while the counts are not known yet (the unit reconciler has not seen every pod since start). */
    public UnitCounts counts(GatewayRef gateway) {
        Tally tally = tally(gateway);
        return tally == null ? null : new UnitCounts(tally.routed(), tally.waiting() + tally.waitingForPolicy(),
                tally.rejected() + tally.claimedTwice());
    }

    /** Null while the counts are not known yet. */
    public Tally tally(GatewayRef gateway) {
        if (!known()) {
            return null;
        }
        int[] byState = new int[State.values().length];
        states.getOrDefault(gateway, Map.of()).values().forEach(state -> byState[state.ordinal()]++);
        return new Tally(byState[State.ROUTED.ordinal()], byState[State.WAITING.ordinal()],
                byState[State.WAITING_FOR_POLICY.ordinal()], byState[State.REJECTED.ordinal()],
                byState[State.CLAIMED_TWICE.ordinal()]);
    }

    boolean known() {
        Set<String> pending = pendingAtStart;
        return pending != null && pending.isEmpty();
    }

    /** Once the pod cache has synced: the pods that must each be reconciled before counts are known. */
    synchronized void expect(Collection<String> podUids) {
        Set<String> pending = ConcurrentHashMap.newKeySet();
        pending.addAll(podUids);
        pending.removeAll(reconciledSinceStart);
        pendingAtStart = pending;
        // Only needed until the start-up set is known; pods come and go all day, so do not keep every key forever.
        reconciledSinceStart.clear();
        if (pending.isEmpty()) {
            markAllDirty();
        }
    }

    /** This pod's state for each gateway that selects it; it is dropped from every other gateway's tally. */
    void record(String podUid, Map<GatewayRef, State> byGateway) {
        states.forEach((gateway, pods) -> {
            if (!byGateway.containsKey(gateway) && pods.remove(podUid) != null) {
                dirty.add(gateway);
            }
        });
        byGateway.forEach((gateway, state) -> {
            registerGauge(gateway);
            if (states.computeIfAbsent(gateway, g -> new ConcurrentHashMap<>()).put(podUid, state) != state) {
                dirty.add(gateway);
            }
        });
        reconciled(podUid);
    }

    void forget(String podUid) {
        record(podUid, Map.of());
    }

    private synchronized void reconciled(String podUid) {
        Set<String> pending = pendingAtStart;
        if (pending == null) {
            reconciledSinceStart.add(podUid);
        } else if (pending.remove(podUid) && pending.isEmpty()) {
            markAllDirty();
        }
    }

    private void markAllDirty() {
        // Counts just became known: every gateway shows them, zeros included.
        allDirty.set(true);
    }

    /** Asks the gateway controller to reconcile every gateway whose counts changed since the last flush. */
    void flush(Collection<GatewayRef> allGateways) {
        if (!known() || dirty.isEmpty() && !allDirty.get()) {
            return;
        }
        Set<GatewayRef> now = new java.util.HashSet<>(dirty);
        dirty.removeAll(now);
        if (allDirty.getAndSet(false)) {
            now.addAll(allGateways);
        }
        now.forEach(g -> gatewayNudge.reconcile(new ResourceID(g.name(), g.namespace())));
    }

    int routed(GatewayRef gateway) {
        return (int) states.getOrDefault(gateway, Map.of()).values().stream().filter(s -> s == State.ROUTED).count();
    }

    private void registerGauge(GatewayRef gateway) {
        if (gauges.add(gateway)) {
            Gauge.builder("texera_gateway_units_routed", this, board -> board.routed(gateway))
                    .tag("gateway", gateway.namespace() + "/" + gateway.name())
                    .description("Computing units whose Service and HTTPRoute this gateway has").register(meters);
        }
    }
}
