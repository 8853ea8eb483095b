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
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Writes desired objects with server-side apply, only when the cache shows they differ from what we want, and
 * counts every write it makes. Writes ask for strict field validation: a field the installed CRD does not know is
 * refused (and reported in the status) instead of being pruned silently.
 */
@ApplicationScoped
public class ObjectWriter {

    /** Annotation with a hash of the desired object, so a removed field also counts as a change. */
    public static final String DESIRED_HASH = "texera.apache.org/desired-hash";
    /** The field manager of every object the operator writes. */
    public static final String FIELD_MANAGER = "texera-gateway-operator";

    /** CREATED: the cache had none, so it was applied (created, or taken over if the cache lagged); UPDATED: applied. */
    public enum Outcome {
        CREATED, UPDATED, UNCHANGED
    }

    /** What ensure did, and the object as the API server now has it (the cached one when unchanged). */
    public record Written(Outcome outcome, HasMetadata object) {
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
        HasMetadata applied = apply(desired);
        count(desired, "apply");
        return new Written(actual == null ? Outcome.CREATED : Outcome.UPDATED, applied);
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
        return client.resource(request).fieldValidation(Validation.STRICT).fieldManager(FIELD_MANAGER).forceConflicts()
                .serverSideApply();
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

    public void delete(HasMetadata actual) {
        client.resource(actual).delete();
        count(actual, "delete");
    }

    private void count(HasMetadata object, String verb) {
        meters.counter("texera_gateway_object_writes_total", "kind", object.getKind(), "verb", verb).increment();
    }
}
