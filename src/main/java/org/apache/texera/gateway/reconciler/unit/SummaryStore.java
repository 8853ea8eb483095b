package org.apache.texera.gateway.reconciler.unit;

import java.util.Map;
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
 */
class SummaryStore<T extends HasMetadata> implements ItemStore<T> {
    private final Map<String, CompactObject> items = new ConcurrentHashMap<>();
    private final Function<T, CompactObject> compact;
    private final Function<CompactObject, T> expand;

    SummaryStore(Function<T, CompactObject> compact, Function<CompactObject, T> expand) {
        this.compact = compact;
        this.expand = expand;
    }

    @Override
    public String getKey(T object) {
        return Cache.metaNamespaceKeyFunc(object);
    }

    @Override
    public T put(String key, T object) {
        return expanded(items.put(key, compact.apply(object)));
    }

    @Override
    public T remove(String key) {
        return expanded(items.remove(key));
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
