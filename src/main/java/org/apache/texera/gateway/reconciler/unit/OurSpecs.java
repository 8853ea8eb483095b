package org.apache.texera.gateway.reconciler.unit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.texera.gateway.kube.ObjectKey;

/**
 * Which spec of each unit object is ours: the digest of the spec the API server answered to our last write, kept only
 * while the cached version's digest differs from it (someone else's edit not reverted yet, or our write not delivered
 * yet). Otherwise the cached spec is ours, and thousands of unit objects cost no entry. After a restart, the first
 * sighting is trusted.
 * <p>
 * {@link #filed} and {@link #written} must not interleave with the cache filing a version: the store calls
 * {@code filed} in the same step as it files the version, and the caller of {@code written} reads the cached digest
 * under the same lock. Otherwise a write that reads its own version already filed, and clears the entry, could be
 * followed by {@code filed} for that same version, which would take the version before it (a foreign one) as ours,
 * and every later reconcile would "revert" to our own spec with one more write.
 */
final class OurSpecs {
    private final Map<ObjectKey, String> oursWhereDifferent = new ConcurrentHashMap<>();

    /** A version was filed: {@code previous} is the digest it replaced (null for a new object). */
    void filed(ObjectKey key, String previous, String now) {
        String ours = oursWhereDifferent.get(key);
        if (ours != null) {
            if (ours.equals(now)) {
                oursWhereDifferent.remove(key, ours); // our write seen
            }
        } else if (previous != null && !previous.equals(now)) {
            // The spec changed while no entry was kept: the spec before the change was ours.
            oursWhereDifferent.putIfAbsent(key, previous);
        }
    }

    /** We wrote the object and the server answered with spec {@code ours}; the cache holds {@code cached} (or null). */
    void written(ObjectKey key, String ours, String cached) {
        if (ours.equals(cached)) {
            oursWhereDifferent.remove(key);
        } else {
            oursWhereDifferent.put(key, ours);
        }
    }

    /** Whether someone else changed the spec since our last write: the version seen is not the one we wrote. */
    boolean drifted(ObjectKey key, String seen) {
        String ours = oursWhereDifferent.get(key);
        return seen != null && ours != null && !ours.equals(seen);
    }

    /** The object is gone. */
    void forget(ObjectKey key) {
        oursWhereDifferent.remove(key);
    }

    /** How many objects the cache holds someone else's (or a not yet delivered) spec of. */
    int size() {
        return oursWhereDifferent.size();
    }
}
