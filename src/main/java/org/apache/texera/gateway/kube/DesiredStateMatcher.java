package org.apache.texera.gateway.kube;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Whether an object in the cluster already says everything the operator wants it to say. Fields the API server fills
 * in (defaults such as a parentRef's group or a Service's clusterIPs) are ignored: only what the desired object sets
 * is compared, so an unchanged object is never written again.
 */
public final class DesiredStateMatcher {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    /** Parts of an object the operator does not own: the server's bookkeeping, and status written by controllers. */
    private static final java.util.Set<String> NOT_COMPARED = java.util.Set.of("metadata", "status", "apiVersion", "kind");

    private DesiredStateMatcher() {
    }

    public static boolean matches(HasMetadata desired, HasMetadata actual) {
        if (!metadataMatches(desired, actual)) {
            return false;
        }
        JsonNode want = SERIALIZATION.convertValue(desired, JsonNode.class);
        JsonNode have = SERIALIZATION.convertValue(actual, JsonNode.class);
        for (Iterator<String> fields = want.fieldNames(); fields.hasNext();) {
            String field = fields.next();
            if (!NOT_COMPARED.contains(field) && !isSubset(want.get(field), have.get(field))) {
                return false;
            }
        }
        return true;
    }

    /** Our labels, annotations (the desired-state hash among them) and owner references are all on the object. */
    public static boolean metadataMatches(HasMetadata desired, HasMetadata actual) {
        return contains(actual.getMetadata().getLabels(), desired.getMetadata().getLabels())
                && contains(actual.getMetadata().getAnnotations(), desired.getMetadata().getAnnotations())
                && ownersPresent(desired, actual);
    }

    private static boolean contains(Map<String, String> actual, Map<String, String> desired) {
        if (desired == null || desired.isEmpty()) {
            return true;
        }
        return actual != null && actual.entrySet().containsAll(desired.entrySet());
    }

    private static boolean ownersPresent(HasMetadata desired, HasMetadata actual) {
        for (OwnerReference owner : desired.getMetadata().getOwnerReferences()) {
            boolean found = actual.getMetadata().getOwnerReferences().stream()
                    .anyMatch(o -> o.getUid() != null && o.getUid().equals(owner.getUid())
                            && java.util.Objects.equals(o.getController(), owner.getController()));
            if (!found) {
                return false;
            }
        }
        return true;
    }

    /** Every field of {@code want} is in {@code have} with the same value; lists must have the same length. */
    static boolean isSubset(JsonNode want, JsonNode have) {
        if (want == null || want.isNull()) {
            return true;
        }
        if (want.isObject()) {
            if (have == null || !have.isObject()) {
                return want.isEmpty();
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = want.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!isSubset(field.getValue(), have.get(field.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (want.isArray()) {
            if (have == null || !have.isArray()) {
                return want.isEmpty();
            }
            if (want.size() != have.size()) {
                return false;
            }
            for (int i = 0; i < want.size(); i++) {
                if (!isSubset(want.get(i), have.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (have == null) {
            return false;
        }
        if (want.isNumber() && have.isNumber()) {
            return want.decimalValue().compareTo(have.decimalValue()) == 0;
        }
        return want.equals(have);
    }
}
