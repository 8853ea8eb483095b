package org.apache.texera.gateway.reconciler.unit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;

/**
 * What the unit caches keep of one object between reads: the metadata routing reads, a unit object's spec digest,
 * and a pod's phase and Ready condition. A fabric8 object costs several kilobytes even when pruned (each model object
 * carries its own map of unknown fields, each list field its own ArrayList); this is a few hundred bytes. Strings that
 * many objects repeat (namespaces, label keys and values, a pod's name and uid, which its unit objects carry again as
 * owner) are interned, so each is stored once. {@link #expand} builds a fresh fabric8 object for every read.
 * docs/benchmarks.md has the heap figures.
 */
record CompactObject(String name, String namespace, String uid, String resourceVersion, String[] labels,
        String[] annotations, Owner[] owners, String[] finalizers, String creationTimestamp,
        String deletionTimestamp, String specDigest, String phase, String ready, String readySince) {
    private static final Owner[] NO_OWNERS = {};
    private static final String[] NONE = {};

    /** An owner reference, interned like the rest. */
    record Owner(String apiVersion, String kind, String name, String uid, Boolean controller, Boolean blockOwnerDeletion) {
        OwnerReference expand() {
            OwnerReference owner = new OwnerReference();
            owner.setApiVersion(apiVersion);
            owner.setKind(kind);
            owner.setName(name);
            owner.setUid(uid);
            owner.setController(controller);
            owner.setBlockOwnerDeletion(blockOwnerDeletion);
            return owner;
        }
    }

    /** The metadata of any object (less its creation time, which only pods need), and {@code specDigest} (null for none). */
    static CompactObject of(HasMetadata object, String specDigest) {
        ObjectMeta meta = object.getMetadata();
        Owner[] owners = meta.getOwnerReferences() == null ? NO_OWNERS : meta.getOwnerReferences().stream()
                .map(o -> new Owner(intern(o.getApiVersion()), intern(o.getKind()), intern(o.getName()), intern(o.getUid()),
                        o.getController(), o.getBlockOwnerDeletion()))
                .toArray(Owner[]::new);
        return new CompactObject(intern(meta.getName()), intern(meta.getNamespace()), intern(meta.getUid()),
                meta.getResourceVersion(), pairs(meta.getLabels()), pairs(meta.getAnnotations()), owners,
                meta.getFinalizers() == null ? NONE : meta.getFinalizers().stream().map(CompactObject::intern).toArray(String[]::new),
                null, meta.getDeletionTimestamp(), intern(specDigest), null, null, null);
    }

    /**
     * A pod's name, namespace, uid, resourceVersion, labels, timestamps, phase and Ready condition: never its spec,
     * whose env carries Texera's secrets, nor its annotations.
     */
    static CompactObject ofPod(Pod pod) {
        ObjectMeta meta = pod.getMetadata();
        PodStatus status = pod.getStatus();
        PodCondition ready = status == null || status.getConditions() == null ? null
                : status.getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst().orElse(null);
        return new CompactObject(intern(meta.getName()), intern(meta.getNamespace()), intern(meta.getUid()),
                meta.getResourceVersion(), pairs(meta.getLabels()), null, NO_OWNERS, NONE,
                meta.getCreationTimestamp(), meta.getDeletionTimestamp(), null,
                status == null ? null : status.getPhase() == null ? "" : intern(status.getPhase()),
                ready == null ? null : intern(ready.getStatus()), ready == null ? null : ready.getLastTransitionTime());
    }

    /** A new object of the given kind with this metadata; the spec digest, if any, as {@link UnitObjectCache#OBSERVED_SPEC}. */
    <T extends HasMetadata> T expand(T empty) {
        ObjectMeta meta = new ObjectMeta();
        meta.setName(name);
        meta.setNamespace(namespace);
        meta.setUid(uid);
        meta.setResourceVersion(resourceVersion);
        meta.setLabels(map(labels));
        meta.setAnnotations(map(annotations));
        meta.setOwnerReferences(owners.length == 0 ? null : new ArrayList<>(Arrays.stream(owners).map(Owner::expand).toList()));
        meta.setFinalizers(finalizers.length == 0 ? null : new ArrayList<>(Arrays.asList(finalizers)));
        meta.setCreationTimestamp(creationTimestamp);
        meta.setDeletionTimestamp(deletionTimestamp);
        if (specDigest != null) {
            meta.setAdditionalProperty(UnitObjectCache.OBSERVED_SPEC, specDigest);
        }
        empty.setMetadata(meta);
        return empty;
    }

    /** The pruned pod: metadata, and the phase and Ready condition when it had a status. */
    Pod expandPod() {
        Pod pod = expand(new Pod());
        if (phase != null) {
            PodStatus status = new PodStatus();
            status.setPhase(phase.isEmpty() ? null : phase);
            List<PodCondition> conditions = new ArrayList<>();
            if (ready != null) {
                PodCondition condition = new PodCondition();
                condition.setType("Ready");
                condition.setStatus(ready);
                condition.setLastTransitionTime(readySince);
                conditions.add(condition);
            }
            status.setConditions(conditions);
            pod.setStatus(status);
        }
        return pod;
    }

    /** A label's value, or null. */
    String label(String key) {
        for (int i = 0; labels != null && i < labels.length; i += 2) {
            if (labels[i].equals(key)) {
                return labels[i + 1];
            }
        }
        return null;
    }

    /** A map as interned key, value, key, value: an exact-size array, a third of an immutable map's footprint. */
    private static String[] pairs(Map<String, String> map) {
        if (map == null) {
            return null;
        }
        String[] pairs = new String[map.size() * 2];
        int i = 0;
        for (Map.Entry<String, String> entry : map.entrySet()) {
            pairs[i++] = intern(entry.getKey());
            pairs[i++] = intern(entry.getValue());
        }
        return pairs;
    }

    private static Map<String, String> map(String[] pairs) {
        if (pairs == null) {
            return null;
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    private static String intern(String value) {
        return value == null ? null : value.intern();
    }
}
