package org.apache.texera.gateway.reconciler.unit;

import static org.apache.texera.gateway.reconciler.unit.CompactObject.NO_TIME;
import static org.apache.texera.gateway.reconciler.unit.CompactObject.intern;

import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;

/**
 * What the unit controller's pod cache keeps of a pod: name, namespace, uid, resourceVersion, labels, creation and
 * deletion timestamps, phase and the Ready condition. Never the spec, whose env carries Texera's secrets, nor the
 * annotations. Strings are interned and numbers kept as numbers, as in {@link CompactObject}.
 */
record CompactPod(String name, String namespace, String uid, long version, String versionText, String[] labels,
        long created, String createdText, String deletionTimestamp, String phase, String ready, long readySince,
        String readySinceText) implements SummaryStore.Summary {

    static CompactPod of(Pod pod) {
        ObjectMeta meta = pod.getMetadata();
        PodStatus status = pod.getStatus();
        PodCondition ready = status == null || status.getConditions() == null ? null
                : status.getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst().orElse(null);
        String readySince = ready == null ? null : ready.getLastTransitionTime();
        long version = CompactObject.versionNumber(meta.getResourceVersion());
        long created = CompactObject.seconds(meta.getCreationTimestamp());
        long readySeconds = CompactObject.seconds(readySince);
        return new CompactPod(intern(meta.getName()), intern(meta.getNamespace()), intern(meta.getUid()), version,
                version < 0 ? meta.getResourceVersion() : null, CompactObject.pairs(meta.getLabels()),
                created, created == NO_TIME ? meta.getCreationTimestamp() : null, meta.getDeletionTimestamp(),
                status == null ? null : status.getPhase() == null ? "" : intern(status.getPhase()),
                ready == null ? null : intern(ready.getStatus()), readySeconds, readySeconds == NO_TIME ? readySince : null);
    }

    /** The pruned pod: metadata, and the phase and Ready condition when it had a status. */
    Pod expand() {
        ObjectMeta meta = new ObjectMeta();
        meta.setName(name);
        meta.setNamespace(namespace);
        meta.setUid(uid);
        meta.setResourceVersion(CompactObject.version(version, versionText));
        meta.setLabels(CompactObject.map(labels));
        meta.setCreationTimestamp(CompactObject.time(created, createdText));
        meta.setDeletionTimestamp(deletionTimestamp);
        Pod pod = new Pod();
        pod.setMetadata(meta);
        if (phase != null) {
            PodStatus status = new PodStatus();
            status.setPhase(phase.isEmpty() ? null : phase);
            List<PodCondition> conditions = new ArrayList<>();
            if (ready != null) {
                PodCondition condition = new PodCondition();
                condition.setType("Ready");
                condition.setStatus(ready);
                condition.setLastTransitionTime(CompactObject.time(readySince, readySinceText));
                conditions.add(condition);
            }
            status.setConditions(conditions);
            pod.setStatus(status);
        }
        return pod;
    }

    /** A label's value, or null. */
    String label(String key) {
        return CompactObject.label(labels, key);
    }
}
