package org.apache.texera.gateway.reconciler.gateway;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** A bounded exponential backoff per TexeraGateway, for rechecks while something is pending. */
final class Recheck {
    private final Duration min;
    private final Duration max;
    private final Map<ResourceID, Integer> attempts = new ConcurrentHashMap<>();

    Recheck(Duration min, Duration max) {
        this.min = min;
        this.max = max;
    }

    /** The delay before the next recheck: min, 2·min, 4·min, … up to max. */
    Duration next(ResourceID gateway) {
        int attempt = attempts.merge(gateway, 1, Integer::sum) - 1;
        long millis = min.toMillis() << Math.min(attempt, 20);
        return millis >= max.toMillis() || millis <= 0 ? max : Duration.ofMillis(millis);
    }

    void reset(ResourceID gateway) {
        attempts.remove(gateway);
    }
}
