package org.apache.texera.gateway.reconciler.unit;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;

/**
 * An informer store that keeps a {@link CompactObject} of each object instead of the object, and gives back a fresh
 * summary object on every read: the unit objects' (UnitObjectCache) and the pods' (PrunedPodStore). Reads allocate a
 * little short-lived garbage; the store itself stays small at thousands of units.
 * <p>
 * It also keeps one lookup of its own (by owner uid, by unit id): fabric8's indexers hold a concurrent set per index
 * value, about 200 bytes for a value that, like these, almost always has one object. Here a value maps to the one store
 * key, or to an array of them. The informer's cache calls put and remove under its lock, so the lookup changes with
 * the store, exactly like fabric8's own indexes.
 */
class SummaryStore<T extends HasMetadata> implements ItemStore<T> {
    private final Map<String, CompactObject> items = new ConcurrentHashMap<>();
    private final Function<T, CompactObject> compact;
    private final Function<CompactObject, T> expand;
    private final Function<CompactObject, List<String>> lookupKeys;
    /** lookup value -> the store key (a String) or the store keys (a String[]) of the objects that have it. */
    private final Map<String, Object> lookup = new ConcurrentHashMap<>();

    SummaryStore(Function<T, CompactObject> compact, Function<CompactObject, T> expand) {
        this(compact, expand, c -> List.of());
    }

    SummaryStore(Function<T, CompactObject> compact, Function<CompactObject, T> expand,
            Function<CompactObject, List<String>> lookupKeys) {
        this.compact = compact;
        this.expand = expand;
        this.lookupKeys = lookupKeys;
    }

    @Override
    public String getKey(T object) {
        // Interned: a unit's Service and HTTPRoute share namespace and name, and so their key.
        return Cache.metaNamespaceKeyFunc(object).intern();
    }

    @Override
    public T put(String key, T object) {
        CompactObject compacted = compact.apply(object);
        CompactObject previous = items.put(key, compacted);
        // Link the new values before unlinking the old ones that are gone: a reader never finds an object missing
        // under a value it keeps (fabric8's own indexes remove and re-add, and a reader can fall in between).
        List<String> now = lookupKeys.apply(compacted);
        now.forEach(value -> link(value, key));
        if (previous != null) {
            lookupKeys.apply(previous).stream().filter(value -> !now.contains(value)).forEach(value -> unlink(value, key));
        }
        return expanded(previous);
    }

    @Override
    public T remove(String key) {
        CompactObject removed = items.remove(key);
        if (removed != null) {
            lookupKeys.apply(removed).forEach(value -> unlink(value, key));
        }
        return expanded(removed);
    }

    /** The objects whose lookup keys include {@code value}. */
    List<T> lookup(String value) {
        Object keys = lookup.get(value);
        Stream<String> found = keys == null ? Stream.empty()
                : keys instanceof String one ? Stream.of(one) : Arrays.stream((String[]) keys);
        return found.map(this::get).filter(Objects::nonNull).toList();
    }

    private void link(String value, String key) {
        lookup.merge(value, key, (existing, added) -> {
            String[] keys = existing instanceof String one ? new String[] { one } : (String[]) existing;
            if (Arrays.asList(keys).contains(key)) {
                return existing;
            }
            String[] more = Arrays.copyOf(keys, keys.length + 1);
            more[keys.length] = key;
            return more;
        });
    }

    private void unlink(String value, String key) {
        lookup.computeIfPresent(value, (v, existing) -> {
            if (existing instanceof String one) {
                return one.equals(key) ? null : one;
            }
            String[] rest = Arrays.stream((String[]) existing).filter(k -> !k.equals(key)).toArray(String[]::new);
            return rest.length == 0 ? null : rest.length == 1 ? rest[0] : rest;
        });
    }

    @Override
    public Stream<String> keySet() {
        return items.keySet().stream();
    }

    @Override
    public Stream<T> values() {
        return items.values().stream().map(expand);
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public T get(String key) {
        return expanded(items.get(key));
    }

    private T expanded(CompactObject compacted) {
        return compacted == null ? null : expand.apply(compacted);
    }
}
