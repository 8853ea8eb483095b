package org.apache.texera.gateway.reconciler.unit;

import java.util.List;
import java.util.function.Consumer;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;

/**
 * The unit controller's pod cache. It keeps only what routing needs (name, namespace, uid, resourceVersion, labels,
 * creation and deletion timestamps, phase and the Ready condition): never the spec, whose env carries Texera's
 * secrets, and a fraction of the memory of a whole pod.
 * <p>
 * It is also where the operator learns that a pod started terminating or left the cache (deleted, or lost the selector label): JOSDK calls
 * no reconcile for a vanished primary without a finalizer, and we never put one on a Texera pod. QOSDK instantiates
 * the store from the annotation, so the listener is static.
 */
public class PrunedPodStore extends SummaryStore<Pod> {
    private static volatile Consumer<Pod> onRemoved = pod -> {
    };

    private static volatile Consumer<Pod> onTerminating = pod -> {
    };

    public PrunedPodStore() {
        super(PrunedPodStore::prune);
    }

    static void onRemoved(Consumer<Pod> listener) {
        onRemoved = listener;
    }

    /** JOSDK does not reconcile a primary marked for deletion when it has no finalizer: this hook does instead. */
    static void onTerminating(Consumer<Pod> listener) {
        onTerminating = listener;
    }

    static Pod prune(Pod pod) {
        var meta = pod.getMetadata();
        PodBuilder pruned = new PodBuilder().withNewMetadata().withName(meta.getName()).withNamespace(meta.getNamespace())
                .withUid(meta.getUid()).withResourceVersion(meta.getResourceVersion()).withLabels(meta.getLabels())
                .withCreationTimestamp(meta.getCreationTimestamp()).withDeletionTimestamp(meta.getDeletionTimestamp())
                .endMetadata();
        if (pod.getStatus() != null) {
            List<PodCondition> ready = pod.getStatus().getConditions() == null ? List.of()
                    : pod.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
                            .map(c -> new PodConditionBuilder().withType(c.getType()).withStatus(c.getStatus())
                                    .withLastTransitionTime(c.getLastTransitionTime()).build())
                            .toList();
            pruned.withNewStatus().withPhase(pod.getStatus().getPhase()).withConditions(ready).endStatus();
        }
        return pruned.build();
    }

    @Override
    public Pod put(String key, Pod pod) {
        Pod previous = super.put(key, pod);
        Pod pruned = get(key);
        if (pruned.getMetadata().getDeletionTimestamp() != null) {
            onTerminating.accept(pruned);
        }
        return previous;
    }

    @Override
    public Pod remove(String key) {
        Pod removed = super.remove(key);
        if (removed != null) {
            onRemoved.accept(removed);
        }
        return removed;
    }
}
