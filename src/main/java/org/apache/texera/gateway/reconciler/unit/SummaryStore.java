package org.apache.texera.gateway.reconciler.unit;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;

/**
 * An informer store that keeps a compact summary of each object instead of the object ({@link CompactObject},
 * {@link CompactPod}), and gives back a fresh summary object on every read: the unit objects' (UnitObjectCache) and
 * the pods' (PrunedPodStore). Reads allocate a little short-lived garbage; the store itself stays small at thousands
 * of units.
 * <ul>
 * <li>Summaries are filed by namespace, then name: both are the summary's own interned strings, so the store keeps
 * no key string per object (fabric8 asks by "namespace/name", which is split on each read).</li>
 * <li>It keeps one lookup of its own (by owner uid, by unit id). fabric8's indexers hold a concurrent set per index
 * value, about 250 bytes for a value that, like these, almost always has one object. Here a value maps to the one
 * summary, or to an array of them. The informer's cache calls put and remove under its lock, so the lookup changes
 * with the store, exactly like fabric8's own indexes.</li>
 * </ul>
 */
class SummaryStore<T extends HasMetadata, S extends SummaryStore.Summary> implements ItemStore<T> {

    /** What a store keeps of an object: it is filed under these two. */
    interface Summary {
        String name();

        String namespace();
    }

    /** namespace ("" for a cluster-scoped object) -> name -> summary. */
    private final Map<String, Map<String, S>> items = new ConcurrentHashMap<>();
    private final Function<T, S> compact;
    private final Function<S, T> expand;
    private final Function<S, List<String>> lookupValues;
    /** lookup value -> the summary (an S) or summaries (an Object[]) that have it. */
    private final Map<String, Object> lookup = new ConcurrentHashMap<>();
    private volatile BiConsumer<S, S> onFiled = (previous, now) -> {
    };

    SummaryStore(Function<T, S> compact, Function<S, T> expand) {
        this(compact, expand, s -> List.of());
    }

    SummaryStore(Function<T, S> compact, Function<S, T> expand, Function<S, List<String>> lookupValues) {
        this.compact = compact;
        this.expand = expand;
        this.lookupValues = lookupValues;
    }

    @Override
    public String getKey(T object) {
        return Cache.metaNamespaceKeyFunc(object);
    }

    /** Files the summary and tells {@link #onFiled} in one step under this store's monitor (see OurSpecs). */
    @Override
    public T put(String key, T object) {
        S summary = compact.apply(object);
        S previous;
        synchronized (this) {
            previous = items.computeIfAbsent(namespaceOf(summary), n -> new ConcurrentHashMap<>()).put(summary.name(), summary);
            onFiled.accept(previous, summary);
        }
        // Link the new summary before unlinking values that are gone: a reader never finds an object missing under a
        // value it keeps (fabric8's own indexes remove and re-add, and a reader can fall in between).
        List<String> now = lookupValues.apply(summary);
        now.forEach(value -> link(value, summary));
        if (previous != null) {
            lookupValues.apply(previous).stream().filter(value -> !now.contains(value)).forEach(value -> unlink(value, previous));
        }
        return expanded(previous);
    }

    @Override
    public T remove(String key) {
        int slash = key.indexOf('/');
        String namespace = slash < 0 ? "" : key.substring(0, slash);
        Map<String, S> names = items.get(namespace);
        S removed = names == null ? null : names.remove(key.substring(slash + 1));
        if (removed == null) {
            return null;
        }
        items.computeIfPresent(namespace, (n, left) -> left.isEmpty() ? null : left);
        lookupValues.apply(removed).forEach(value -> unlink(value, removed));
        return expanded(removed);
    }

    /**
     * Called with each summary filed, and the one it replaced (or null), under the informer's lock and this store's
     * monitor: a reader that holds the monitor sees a version together with what the listener made of it.
     */
    void onFiled(BiConsumer<S, S> listener) {
        this.onFiled = listener;
    }

    /** The summary filed under this namespace and name, or null. */
    S summary(String namespace, String name) {
        Map<String, S> names = items.get(namespace == null ? "" : namespace);
        return names == null ? null : names.get(name);
    }

    /** The objects whose lookup values include {@code value}. */
    List<T> lookup(String value) {
        return summariesWith(value).map(expand).toList();
    }

    /** The summaries whose lookup values include {@code value}. */
    @SuppressWarnings("unchecked")
    Stream<S> summariesWith(String value) {
        Object found = lookup.get(value);
        return found == null ? Stream.empty()
                : found instanceof Object[] several ? Arrays.stream(several).map(s -> (S) s) : Stream.of((S) found);
    }

    private void link(String value, S summary) {
        lookup.merge(value, summary, (existing, added) -> {
            Object[] all = existing instanceof Object[] several ? several : new Object[] { existing };
            for (int i = 0; i < all.length; i++) {
                if (sameObject((Summary) all[i], summary)) {
                    // A newer version of an object already linked: replace it in place.
                    if (all.length == 1) {
                        return summary;
                    }
                    Object[] replaced = all.clone();
                    replaced[i] = summary;
                    return replaced;
                }
            }
            Object[] more = Arrays.copyOf(all, all.length + 1);
            more[all.length] = summary;
            return more;
        });
    }

    private void unlink(String value, S summary) {
        lookup.computeIfPresent(value, (v, existing) -> {
            if (!(existing instanceof Object[] several)) {
                return sameObject((Summary) existing, summary) ? null : existing;
            }
            Object[] rest = Arrays.stream(several).filter(s -> !sameObject((Summary) s, summary)).toArray();
            return rest.length == 0 ? null : rest.length == 1 ? rest[0] : rest;
        });
    }

    private static boolean sameObject(Summary a, Summary b) {
        return a.name().equals(b.name()) && namespaceOf(a).equals(namespaceOf(b));
    }

    private static String namespaceOf(Summary summary) {
        return summary.namespace() == null ? "" : summary.namespace();
    }

    @Override
    public Stream<String> keySet() {
        return items.entrySet().stream().flatMap(byNamespace -> byNamespace.getValue().keySet().stream()
                .map(name -> byNamespace.getKey().isEmpty() ? name : byNamespace.getKey() + "/" + name));
    }

    @Override
    public Stream<T> values() {
        return items.values().stream().flatMap(names -> names.values().stream()).map(expand);
    }

    @Override
    public int size() {
        return items.values().stream().mapToInt(Map::size).sum();
    }

    @Override
    public T get(String key) {
        int slash = key.indexOf('/');
        Map<String, S> names = items.get(slash < 0 ? "" : key.substring(0, slash));
        return names == null ? null : expanded(names.get(key.substring(slash + 1)));
    }

    private T expanded(S summary) {
        return summary == null ? null : expand.apply(summary);
    }
}
