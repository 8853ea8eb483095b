package org.apache.texera.gateway.reconciler.unit;

import java.util.Set;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;

/**
 * An event source with no resources: it asks its controller to reconcile a primary. JOSDK merges nudges for a
 * primary that is already queued or running, which is all the coalescing the hot path needs.
 */
public final class Nudge<P extends HasMetadata> extends AbstractEventSource<Void, P> {

    public Nudge(String name) {
        super(Void.class, name);
    }

    public void reconcile(ResourceID primary) {
        if (isRunning()) {
            getEventHandler().handleEvent(new Event(primary));
        }
    }

    @Override
    public Set<Void> getSecondaryResources(P primary) {
        return Set.of();
    }
}
