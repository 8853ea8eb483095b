package org.apache.texera.gateway.reconciler.unit;

import java.time.Duration;
import java.util.Optional;

import io.javaoperatorsdk.operator.processing.event.rate.RateLimiter;

/**
 * The unit controller's rate limiter: none, like JOSDK's default (a LinearRateLimiter with no limit), but without a
 * state object per pod. JOSDK keeps one per resource it has seen: about 100 bytes a pod for a limit that is never set.
 */
public class NoRateLimit implements RateLimiter<RateLimiter.RateLimitState> {
    private static final RateLimitState NO_STATE = new RateLimitState() {
    };

    @Override
    public Optional<Duration> isLimited(RateLimitState state) {
        return Optional.empty();
    }

    @Override
    public RateLimitState initState() {
        return NO_STATE;
    }
}
