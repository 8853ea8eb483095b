package org.apache.texera.gateway.config;

import java.time.Duration;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;

/**
 * Two replicas run; one holds the Lease and reconciles, the other waits with warm caches. QOSDK uses this bean only
 * in the profiles of quarkus.operator-sdk.activate-leader-election-for-profiles (prod), so tests and dev mode run
 * without a Lease. The Lease lives in the operator's own namespace (the client's namespace, as JOSDK infers it) and
 * the holder identity is the pod name. A replica that loses the Lease exits and is restarted as a standby, so two
 * never reconcile at once. docs/operations.md derives the failover time from the durations below.
 */
public class LeaderElection {
    public static final String LEASE_NAME = "texera-gateway-operator-leader";
    /** How long a Lease stays valid after its last renewal; a standby takes over no sooner. */
    public static final Duration LEASE_DURATION = Duration.ofSeconds(15);
    /** A leader that could not renew for this long stops leading (and exits), before its Lease can expire. */
    public static final Duration RENEW_DEADLINE = Duration.ofSeconds(10);
    /** How often the leader renews and a standby tries to acquire. */
    public static final Duration RETRY_PERIOD = Duration.ofSeconds(2);

    @Produces
    @Singleton
    LeaderElectionConfiguration leaderElectionConfiguration() {
        return new LeaderElectionConfiguration(LEASE_NAME, null, LEASE_DURATION, RENEW_DEADLINE, RETRY_PERIOD);
    }
}
