package org.apache.texera.gateway.reconciler.unit;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Consumer;

import org.apache.texera.gateway.model.TexeraDefaults;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * The unit controller's pod cache. It keeps only what routing needs ({@link CompactPod}): never the spec, whose env
 * carries Texera's secrets, and a fraction of the memory of a whole pod.
 * <p>
 * It is also where the operator learns that a pod started terminating or left the cache (deleted, or lost the selector
 * label): JOSDK calls no reconcile for a vanished primary without a finalizer, and we never put one on a Texera pod.
 * And it keeps the pods' lookup by unit id ({@link #namesWithUnitId}), which a fabric8 index would keep at about 250
 * bytes a pod. QOSDK instantiates the store from the annotation, once per watched namespace, so the listeners and the
 * list of live stores are static.
 */
public class PrunedPodStore extends SummaryStore<Pod, CompactPod> {
    /** Weak: a store goes with its informer (tests start several operators in one JVM). */
    private static final Set<PrunedPodStore> LIVE = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    private static volatile Consumer<Pod> onRemoved = pod -> {
    };

    private static volatile Consumer<Pod> onTerminating = pod -> {
    };

    public PrunedPodStore() {
        super(CompactPod::of, CompactPod::expand, PrunedPodStore::unitId);
        LIVE.add(this);
    }

    static void onRemoved(Consumer<Pod> listener) {
        onRemoved = listener;
    }

    /** JOSDK does not reconcile a primary marked for deletion when it has no finalizer: this hook does instead. */
    static void onTerminating(Consumer<Pod> listener) {
        onTerminating = listener;
    }

    /**
     * The names of the pods in this namespace whose unit id label (the default one) has this value, in any live
     * store. A store of an operator that stopped may still answer until it is collected, so callers read each pod
     * back from their own cache.
     */
    static List<String> namesWithUnitId(String namespace, String id) {
        List<PrunedPodStore> stores;
        synchronized (LIVE) {
            stores = List.copyOf(LIVE);
        }
        return stores.stream().flatMap(store -> store.summariesWith(id))
                .filter(pod -> namespace.equals(pod.namespace())).map(CompactPod::name).distinct().toList();
    }

    private static List<String> unitId(CompactPod pod) {
        String id = pod.label(TexeraDefaults.UNIT_ID_LABEL);
        return id == null ? List.of() : List.of(id);
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
