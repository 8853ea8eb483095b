package org.apache.texera.gateway.kube;

import java.util.function.Consumer;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.dsl.Listable;

/**
 * A list made in pages. One list of thousands of unit routes is tens of megabytes and can outlast the client's request
 * timeout on a busy API server (docs/benchmarks.md, finding 7); a page is small.
 */
public final class PagedList {
    private PagedList() {
    }

    /**
     * Hands every object of the selection to {@code action}, {@code pageSize} at a time, and returns how many pages it
     * took. The action may delete what it is handed: the API server continues from the last key it returned.
     */
    public static <T extends HasMetadata> int forEach(Listable<? extends KubernetesResourceList<T>> selection, long pageSize,
            Consumer<T> action) {
        int pages = 0;
        String next = null;
        do {
            KubernetesResourceList<T> page = selection.list(new ListOptionsBuilder().withLimit(pageSize).withContinue(next)
                    .build());
            pages++;
            page.getItems().forEach(action);
            next = page.getMetadata() == null ? null : page.getMetadata().getContinue();
        } while (next != null && !next.isEmpty());
        return pages;
    }
}
