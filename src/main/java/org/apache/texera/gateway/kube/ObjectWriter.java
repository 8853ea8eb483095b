package org.apache.texera.gateway.kube;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Writes desired objects, only when the cache shows they differ from what we want, and counts every write it makes.
 * Writes ask for strict field validation: a field the installed CRD does not know is refused (and reported in the
 * status) instead of being pruned silently. Invariants:
 * <ul>
 * <li>never takes over an object it did not create: before it writes an object the cache does not have, it reads
 * whether one of that name exists, and refuses one without our labels ({@link NotOurs});</li>
 * <li>a cluster-scoped object is never applied with force;</li>
 * <li>a delete names the version it saw: an object changed since (taken over by a newer pod, say) is not deleted.</li>
 * </ul>
 */
@ApplicationScoped
public class ObjectWriter {

    /** Annotation with a hash of the desired object, so a removed field also counts as a change. */
    public static final String DESIRED_HASH = "texera.apache.org/desired-hash";
    /** The field manager of every object the operator writes. */
    public static final String FIELD_MANAGER = "texera-gateway-operator";

    /** CREATED: neither the cache nor the API server had it; UPDATED: applied over a version of ours. */
    public enum Outcome {
        CREATED, UPDATED, UNCHANGED
    }

    /** What ensure did, and the object as the API server now has it (the cached one when unchanged). */
    public record Written(Outcome outcome, HasMetadata object) {
    }

    /**
     * An object of the same name exists without our labels for this gateway: someone else made it, and it stays theirs
     * unless its owner hands it over by giving it those labels.
     */
    public static final class NotOurs extends KubernetesClientException {
        public NotOurs(HasMetadata existing, HasMetadata desired) {
            super(existing.getKind() + " " + (existing.getMetadata().getNamespace() == null ? ""
                    : existing.getMetadata().getNamespace() + "/") + existing.getMetadata().getName()
                    + " exists and was not created by " + FIELD_MANAGER + ", which never takes over an object: delete or "
                    + "rename it, change the spec so that it names another, or hand it over with: kubectl label "
                    + existing.getKind().toLowerCase(java.util.Locale.ROOT) + " " + existing.getMetadata().getName()
                    + (existing.getMetadata().getNamespace() == null ? "" : " -n " + existing.getMetadata().getNamespace())
                    + " --overwrite " + handOverLabels(desired), 409, null);
        }

        private static String handOverLabels(HasMetadata desired) {
            Map<String, String> labels = desired.getMetadata().getLabels() == null ? Map.of() : desired.getMetadata().getLabels();
            StringBuilder out = new StringBuilder();
            new TreeMap<>(labels).forEach((key, value) -> out.append(out.length() == 0 ? "" : " ").append(key).append('=').append(value));
            return out.toString();
        }
    }

    private final KubernetesClient client;
    private final MeterRegistry meters;
    private final KubernetesSerialization serialization;

    public ObjectWriter(KubernetesClient client, MeterRegistry meters) {
        this.client = client;
        this.meters = meters;
        this.serialization = client.getKubernetesSerialization();
    }

    /**
     * @param actual the object as the cache last saw it, or null when the cache has none
     */
    public Written ensure(HasMetadata model, HasMetadata actual) {
        return ensure(model, actual, null);
    }

    /**
     * Like {@link #ensure(HasMetadata, HasMetadata)}, for a cache that keeps objects without their spec: the caller
     * says whether the spec changed since our last write, and the rest is compared as usual.
     *
     * @param specDrifted null to compare the spec itself; else whether someone else changed it
     */
    public Written ensure(HasMetadata model, HasMetadata actual, Boolean specDrifted) {
        HasMetadata desired = withDesiredHash(model);
        if (actual != null) {
            boolean unchanged = specDrifted == null ? DesiredStateMatcher.matches(desired, actual)
                    : !specDrifted && DesiredStateMatcher.metadataMatches(desired, actual);
            if (unchanged) {
                return new Written(Outcome.UNCHANGED, actual);
            }
        }
        if (actual == null) {
            return createOrAdopt(desired);
        }
        HasMetadata applied = apply(desired);
        count(desired, "apply");
        return new Written(Outcome.UPDATED, applied);
    }

    /**
     * The cache has no such object of ours: the API server is asked whether one of that name exists. If it does, it is
     * ours only when it carries our labels for the same gateway (a write of ours the cache has not seen yet); anything
     * else is refused. Then it is applied, so that every field we set is ours and a field we stop setting goes (a
     * plain create would leave its fields to another field manager, which a later apply cannot remove).
     */
    private Written createOrAdopt(HasMetadata desired) {
        HasMetadata existing = existing(desired);
        if (existing != null && !sameOwner(existing, desired)) {
            throw new NotOurs(existing, desired);
        }
        HasMetadata applied = apply(desired);
        count(desired, "apply");
        return new Written(existing == null ? Outcome.CREATED : Outcome.UPDATED, applied);
    }

    /** The live object of the desired one's kind, namespace and name, read with a list (the operator may not get). */
    private HasMetadata existing(HasMetadata desired) {
        var kind = client.resources(desired.getClass());
        var named = desired.getMetadata().getNamespace() == null ? kind.withField("metadata.name", desired.getMetadata().getName())
                : kind.inNamespace(desired.getMetadata().getNamespace()).withField("metadata.name", desired.getMetadata().getName());
        return named.list().getItems().stream().findFirst().orElse(null);
    }

    private static boolean sameOwner(HasMetadata existing, HasMetadata desired) {
        var ours = org.apache.texera.gateway.model.Labels.gatewayOf(existing.getMetadata().getLabels());
        return ours != null && ours.equals(org.apache.texera.gateway.model.Labels.gatewayOf(desired.getMetadata().getLabels()));
    }

    /**
     * Server-side apply as {@value #FIELD_MANAGER}, taking over any field another manager claimed that we set: what
     * others add (labels, annotations, finalizers, spec fields we never set) stays theirs and stays put, and a field
     * we stop setting is removed because we owned it. docs/write-path.md has the measurements behind this choice.
     */
    private HasMetadata apply(HasMetadata desired) {
        HasMetadata request = serialization.clone(desired);
        request.getMetadata().setResourceVersion(null);
        request.getMetadata().setManagedFields(null);
        var resource = client.resource(request).fieldValidation(Validation.STRICT).fieldManager(FIELD_MANAGER);
        // A cluster-scoped object is shared: a field someone else manages is a conflict to report, not to take.
        return request.getMetadata().getNamespace() == null ? resource.serverSideApply()
                : resource.forceConflicts().serverSideApply();
    }

    /**
     * The desired object stamped with a hash of itself. The matcher compares only the fields we set, so without the
     * hash a field the spec stops setting (an old timeout, say) would never be removed; with it, any change to what
     * we want shows as a changed annotation and the object is rewritten whole.
     */
    private HasMetadata withDesiredHash(HasMetadata model) {
        HasMetadata desired = serialization.clone(model);
        Map<String, String> annotations = new TreeMap<>(
                desired.getMetadata().getAnnotations() == null ? Map.of() : desired.getMetadata().getAnnotations());
        annotations.put(DESIRED_HASH, hash(serialization.asJson(model)));
        desired.getMetadata().setAnnotations(annotations);
        return desired;
    }

    private static String hash(String json) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /**
     * Deletes the object at the version we saw: if it changed since, the API server answers 409 and nothing is
     * deleted (the caller decides again with what it then sees). Gone already is done.
     */
    public void delete(HasMetadata actual) {
        String version = actual.getMetadata().getResourceVersion();
        var resource = client.resource(actual);
        (version == null ? resource : resource.lockResourceVersion(version)).delete();
        count(actual, "delete");
    }

    private void count(HasMetadata object, String verb) {
        meters.counter("texera_gateway_object_writes_total", "kind", object.getKind(), "verb", verb).increment();
    }
}
