package org.apache.texera.gateway.config;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.javaoperatorsdk.operator.api.config.ConfigurationService;

/**
 * Whether this replica may write. JOSDK gates only reconciles on the Lease; the unit controller's own housekeeping
 * (the pod-removal hook, the terminating-pod hook, the orphan sweep and the status flush) runs on informer threads
 * and its own timer, which a standby has too, because it keeps warm caches. Those ask here first: without it a
 * standby deleted unit objects and wrote status while the leader was still writing (FaultsIT scenario 2).
 */
@Singleton
public class Leadership {
    private final Instance<ConfigurationService> configuration;
    private volatile boolean leading;
    private volatile Boolean electionEnabled;

    @Inject
    public Leadership(Instance<ConfigurationService> configuration, MeterRegistry meters) {
        this.configuration = configuration;
        Gauge.builder("texera_gateway_leader", this, l -> l.leading() ? 1 : 0)
                .description("1 while this replica may write (holds the Lease, or leader election is off), else 0")
                .register(meters);
    }

    /** True while this replica holds the Lease, or always when leader election is off (tests, dev mode). */
    public boolean leading() {
        return leading || !electionEnabled();
    }

    void started() {
        leading = true;
    }

    void stopped() {
        leading = false;
    }

    private boolean electionEnabled() {
        Boolean enabled = electionEnabled;
        if (enabled == null) {
            // Looked up lazily: QOSDK's ConfigurationService is built from LeaderElection's bean, which uses this one.
            enabled = configuration.isResolvable() && configuration.get().getLeaderElectionConfiguration().isPresent();
            electionEnabled = enabled;
        }
        return enabled;
    }
}
