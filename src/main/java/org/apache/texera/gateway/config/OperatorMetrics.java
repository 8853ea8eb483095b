package org.apache.texera.gateway.config;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * JOSDK's metrics without per-resource meters. QOSDK's default tags every meter with the resource's name, and the
 * unit controller's resources are pods: at 5,000 units that was ~25,000 meters and ~20 KB of heap per unit, and a
 * series per pod in Prometheus. Controller-level counts and timers are enough; per-unit facts have our own metrics.
 */
public class OperatorMetrics {
    @Produces
    @Singleton
    Metrics metrics(MeterRegistry registry) {
        return MicrometerMetrics.withoutPerResourceMetrics(registry);
    }
}
