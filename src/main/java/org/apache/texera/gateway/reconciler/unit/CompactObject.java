package org.apache.texera.gateway.reconciler.unit;

import java.util.ArrayList;
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
record CompactObject(String name, String namespace, String uid, String resourceVersion, Map<String, String> labels,
        Map<String, String> annotations, List<Owner> owners, List<String> finalizers, String creationTimestamp,
        String deletionTimestamp, String specDigest, String phase, String ready, String readySince) {

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
        List<Owner> owners = meta.getOwnerReferences() == null ? List.of() : meta.getOwnerReferences().stream()
                .map(o -> new Owner(intern(o.getApiVersion()), intern(o.getKind()), intern(o.getName()), intern(o.getUid()),
                        o.getController(), o.getBlockOwnerDeletion()))
                .collect(java.util.stream.Collectors.collectingAndThen(java.util.stream.Collectors.toList(), List::copyOf));
        return new CompactObject(intern(meta.getName()), intern(meta.getNamespace()), intern(meta.getUid()),
                meta.getResourceVersion(), interned(meta.getLabels()), interned(meta.getAnnotations()), owners,
                meta.getFinalizers() == null ? List.of() : meta.getFinalizers().stream().map(CompactObject::intern).toList(),
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
                meta.getResourceVersion(), interned(meta.getLabels()), null, List.of(), List.of(),
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
        meta.setLabels(labels == null ? null : new LinkedHashMap<>(labels));
        meta.setAnnotations(annotations == null ? null : new LinkedHashMap<>(annotations));
        meta.setOwnerReferences(owners.isEmpty() ? null : new ArrayList<>(owners.stream().map(Owner::expand).toList()));
        meta.setFinalizers(finalizers.isEmpty() ? null : new ArrayList<>(finalizers));
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

    private static Map<String, String> interned(Map<String, String> map) {
        if (map == null) {
            return null;
        }
        Map<String, String> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(intern(k), intern(v)));
        return Map.copyOf(copy);
    }

    private static String intern(String value) {
        return value == null ? null : value.intern();
    }
}
