package org.apache.texera.gateway.reconciler.unit;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.texera.gateway.kube.ObjectWriter;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;

/**
 * What the unit caches keep of a unit object (or of an ext-auth SecurityPolicy) between reads: the metadata that
 * routing reads or an update must preserve, and a digest of its spec. A fabric8 object costs several kilobytes even
 * when pruned (each model object carries its own map of unknown fields, each list field its own ArrayList); this is a
 * few hundred bytes:
 * <ul>
 * <li>strings that many objects repeat (namespaces, label keys and values, the owning pod's name and uid) are
 * interned, so each is stored once;</li>
 * <li>the resourceVersion is kept as a number when it is one (etcd's always are), the desired-hash annotation as its
 * bytes;</li>
 * <li>the object's own uid is not kept: nothing reads it.</li>
 * </ul>
 * {@link #expand} builds a fresh fabric8 object for every read. {@link CompactPod} is the pods' counterpart, and
 * docs/benchmarks.md has the heap figures.
 */
record CompactObject(String name, String namespace, long version, String versionText, String[] labels,
        String[] annotations, byte[] desiredHash, Owner[] owners, String[] finalizers, String deletionTimestamp,
        byte[] specDigest) implements SummaryStore.Summary {
    private static final Owner[] NO_OWNERS = {};
    private static final String[] NONE = {};
    private static final HexFormat HEX = HexFormat.of();
    /** A timestamp that is absent, or not in the API server's own format (then kept as text). */
    static final long NO_TIME = Long.MIN_VALUE;

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

    /** The metadata of any object, and {@code specDigest} (null for none). */
    static CompactObject of(HasMetadata object, byte[] specDigest) {
        ObjectMeta meta = object.getMetadata();
        Owner[] owners = meta.getOwnerReferences() == null ? NO_OWNERS : meta.getOwnerReferences().stream()
                .map(o -> new Owner(intern(o.getApiVersion()), intern(o.getKind()), intern(o.getName()), intern(o.getUid()),
                        o.getController(), o.getBlockOwnerDeletion()))
                .toArray(Owner[]::new);
        String hash = meta.getAnnotations() == null ? null : meta.getAnnotations().get(ObjectWriter.DESIRED_HASH);
        byte[] hashBytes = hexBytes(hash);
        Map<String, String> otherAnnotations = meta.getAnnotations();
        if (hashBytes != null) {
            otherAnnotations = new LinkedHashMap<>(meta.getAnnotations());
            otherAnnotations.remove(ObjectWriter.DESIRED_HASH);
        }
        long version = versionNumber(meta.getResourceVersion());
        return new CompactObject(intern(meta.getName()), intern(meta.getNamespace()), version,
                version < 0 ? meta.getResourceVersion() : null, pairs(meta.getLabels()), pairs(otherAnnotations), hashBytes,
                owners, meta.getFinalizers() == null ? NONE : meta.getFinalizers().stream().map(CompactObject::intern).toArray(String[]::new),
                meta.getDeletionTimestamp(), specDigest);
    }

    /**
     * This summary, with the label and owner arrays of {@code twin} where they are equal: a unit's Service and
     * HTTPRoute carry the same labels and owner, so the second one filed keeps no copy of its own.
     */
    CompactObject sharingWith(CompactObject twin) {
        if (twin == null) {
            return this;
        }
        String[] sharedLabels = Arrays.equals(labels, twin.labels) ? twin.labels : labels;
        Owner[] sharedOwners = Arrays.equals(owners, twin.owners) ? twin.owners : owners;
        return sharedLabels == labels && sharedOwners == owners ? this
                : new CompactObject(name, namespace, version, versionText, sharedLabels, annotations, desiredHash,
                        sharedOwners, finalizers, deletionTimestamp, specDigest);
    }

    /** The spec digest as the hex that reads show as {@link UnitObjectCache#OBSERVED_SPEC}; null for none. */
    String specDigestHex() {
        return specDigest == null ? null : HEX.formatHex(specDigest);
    }

    /** A new object of the given kind with this metadata; the spec digest, if any, as {@link UnitObjectCache#OBSERVED_SPEC}. */
    <T extends HasMetadata> T expand(T empty) {
        ObjectMeta meta = new ObjectMeta();
        meta.setName(name);
        meta.setNamespace(namespace);
        meta.setResourceVersion(version(version, versionText));
        meta.setLabels(map(labels));
        Map<String, String> annotationMap = map(annotations);
        if (desiredHash != null) {
            annotationMap = annotationMap == null ? new LinkedHashMap<>() : annotationMap;
            annotationMap.put(ObjectWriter.DESIRED_HASH, HEX.formatHex(desiredHash));
        }
        meta.setAnnotations(annotationMap);
        meta.setOwnerReferences(owners.length == 0 ? null : new ArrayList<>(Arrays.stream(owners).map(Owner::expand).toList()));
        meta.setFinalizers(finalizers.length == 0 ? null : new ArrayList<>(Arrays.asList(finalizers)));
        meta.setDeletionTimestamp(deletionTimestamp);
        if (specDigest != null) {
            meta.setAdditionalProperty(UnitObjectCache.OBSERVED_SPEC, specDigestHex());
        }
        empty.setMetadata(meta);
        return empty;
    }

    /** The uids of the pods that own this object. */
    List<String> podOwnerUids() {
        return Arrays.stream(owners).filter(o -> "Pod".equals(o.kind())).map(Owner::uid).toList();
    }

    /** A label's value, or null. */
    String label(String key) {
        return label(labels, key);
    }

    static String label(String[] pairs, String key) {
        for (int i = 0; pairs != null && i < pairs.length; i += 2) {
            if (pairs[i].equals(key)) {
                return pairs[i + 1];
            }
        }
        return null;
    }

    /** A map as interned key, value, key, value: an exact-size array, a third of an immutable map's footprint. */
    static String[] pairs(Map<String, String> map) {
        if (map == null) {
            return null;
        }
        if (map.isEmpty()) {
            return NONE;
        }
        String[] pairs = new String[map.size() * 2];
        int i = 0;
        for (Map.Entry<String, String> entry : map.entrySet()) {
            pairs[i++] = intern(entry.getKey());
            pairs[i++] = intern(entry.getValue());
        }
        return pairs;
    }

    static Map<String, String> map(String[] pairs) {
        if (pairs == null) {
            return null;
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    static String intern(String value) {
        return value == null ? null : value.intern();
    }

    /**
     * A resourceVersion as the number it is in practice, or -1 when it is not a plain decimal (the API calls it
     * opaque; the caller then keeps the text). Eight bytes instead of a string of forty-odd.
     */
    static long versionNumber(String text) {
        if (text == null || text.isEmpty() || text.length() > 18 || text.length() > 1 && text.charAt(0) == '0') {
            return -1;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(text);
    }

    static String version(long number, String text) {
        return number < 0 ? text : Long.toString(number);
    }

    /**
     * A timestamp in the API server's own format (RFC 3339, whole seconds, UTC) as epoch seconds; {@link #NO_TIME} for
     * none or any other form, which the caller keeps as text so that a read gives back exactly what was written.
     */
    static long seconds(String time) {
        if (time == null) {
            return NO_TIME;
        }
        try {
            Instant instant = Instant.parse(time);
            return instant.getNano() == 0 && instant.toString().equals(time) ? instant.getEpochSecond() : NO_TIME;
        } catch (DateTimeParseException e) {
            return NO_TIME;
        }
    }

    static String time(long seconds, String text) {
        return seconds == NO_TIME ? text : Instant.ofEpochSecond(seconds).toString();
    }

    /** Lower-case hex (what ObjectWriter writes) as its bytes; null for anything else, which stays an annotation. */
    static byte[] hexBytes(String hex) {
        if (hex == null || hex.isEmpty() || hex.length() % 2 != 0) {
            return null;
        }
        try {
            byte[] bytes = HEX.parseHex(hex);
            return HEX.formatHex(bytes).equals(hex) ? bytes : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
