package org.apache.texera.gateway.model;

import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;

import org.apache.texera.gateway.model.UnitModel.UnitPod;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * Decides what one pod is to a TexeraGateway: a unit to route, a unit to wait for, a pod to reject (and why), or
 * none of its business. Pure, so the reconciler and {@code render} decide alike.
 */
public final class UnitRouting {

    /** Why a matching pod is not routed. Each is an Event reason and a metric tag. */
    public enum RejectReason {
        MissingId, EmptyId, NotANumber, NotPositive, TooLong,
        /** Another pod with the same id is older: it keeps the route. */
        DuplicateId,
        /** The pod matches two TexeraGateways: routing it to either would be a guess. */
        ClaimedByTwoGateways
    }

    /** What routing needs of a pod, and nothing more: a pod's spec carries Texera's secrets. */
    public record PodFacts(String namespace, String name, String uid, Map<String, String> labels, boolean ready,
            boolean terminating, String creationTimestamp) {

        public static PodFacts of(Pod pod) {
            boolean ready = pod.getStatus() != null && pod.getStatus().getConditions() != null
                    && pod.getStatus().getConditions().stream()
                            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
            return new PodFacts(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), pod.getMetadata().getUid(),
                    pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels(), ready,
                    pod.getMetadata().getDeletionTimestamp() != null, pod.getMetadata().getCreationTimestamp());
        }
    }

    public sealed interface Decision {
    }

    /** Not in the pool namespace or not matching the selector. */
    public record NotSelected() implements Decision {
    }

    public record Route(UnitPod unit) implements Decision {
    }

    /** A unit, but not Ready or already terminating: it must have no route. */
    public record Wait(long unitId) implements Decision {
    }

    public record Reject(RejectReason reason, String message) implements Decision {
    }

    /** Oldest first; the name breaks ties, so every replica of the operator picks the same pod. */
    public static final Comparator<PodFacts> OLDEST_FIRST = Comparator
            .comparing(PodFacts::creationTimestamp, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(PodFacts::name);

    private UnitRouting() {
    }

    public static boolean selects(EffectiveSpec.Units units, PodFacts pod) {
        return units.namespace().equals(pod.namespace())
                && pod.labels().entrySet().containsAll(units.podSelector().entrySet());
    }

    /**
     * @param samePoolPods pods of the same namespace that carry the same id label value, this one included or not
     * @param claimingGateways how many TexeraGateways select this pod, this one included
     */
    public static Decision decide(EffectiveSpec spec, PodFacts pod, Collection<PodFacts> samePoolPods, int claimingGateways) {
        EffectiveSpec.Units units = spec.units();
        if (!selects(units, pod)) {
            return new NotSelected();
        }
        if (claimingGateways > 1) {
            return new Reject(RejectReason.ClaimedByTwoGateways,
                    "pod " + pod.name() + " matches " + claimingGateways + " TexeraGateways; none routes it until only one selects it");
        }
        UnitId.Parsed id = UnitId.parse(pod.labels(), units.idLabel());
        if (!id.valid()) {
            return new Reject(RejectReason.valueOf(id.rejection().name()),
                    "pod " + pod.name() + " " + id.rejection().describe(units.idLabel(), pod.labels().get(units.idLabel())));
        }
        PodFacts oldest = samePoolPods.stream()
                .filter(other -> !other.terminating() || Objects.equals(other.uid(), pod.uid())) // a leaving pod no longer holds its id
                .filter(other -> other.namespace().equals(pod.namespace()) && selects(units, other))
                .filter(other -> UnitId.parse(other.labels(), units.idLabel()).id() == id.id())
                .min(OLDEST_FIRST).orElse(pod);
        if (OLDEST_FIRST.compare(oldest, pod) < 0) {
            return new Reject(RejectReason.DuplicateId, "pod " + pod.name() + " claims unit " + id.id()
                    + ", which older pod " + oldest.name() + " already has");
        }
        if (!pod.ready() || pod.terminating()) {
            return new Wait(id.id());
        }
        return new Route(new UnitPod(pod.name(), pod.uid(), id.id()));
    }
}
