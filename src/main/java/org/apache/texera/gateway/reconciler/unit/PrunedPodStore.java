package org.apache.texera.gateway.reconciler.unit;

import java.util.function.Consumer;

import io.fabric8.kubernetes.api.model.Pod;

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
        super(CompactObject::ofPod, CompactObject::expandPod);
    }

    static void onRemoved(Consumer<Pod> listener) {
        onRemoved = listener;
    }

    /** JOSDK does not reconcile a primary marked for deletion when it has no finalizer: this hook does instead. */
    static void onTerminating(Consumer<Pod> listener) {
        onTerminating = listener;
    }

    @Override
    public Pod put(String key, Pod pod) {
        Pod previous = super.put(key, pod);
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            onTerminating.accept(get(key));
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
