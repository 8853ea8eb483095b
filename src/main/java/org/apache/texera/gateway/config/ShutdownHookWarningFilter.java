package org.apache.texera.gateway.config;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * Drops the one warning JOSDK logs at every start with leader election on: "Leader election is on, shutdown hook
 * will not be installed." JOSDK's hook is not needed: QOSDK stops the operator, and with it the elector, on Quarkus's
 * shutdown event (see {@link LeaderElection}). A warning at every start that no one can act on teaches people to skip
 * the log's warnings. Only that message from that logger is dropped; application.properties sets the filter on the
 * console handler.
 */
@LoggingFilter(name = ShutdownHookWarningFilter.NAME)
public final class ShutdownHookWarningFilter implements Filter {
    public static final String NAME = "josdk-shutdown-hook-warning";
    static final String LOGGER = "io.javaoperatorsdk.operator.Operator";
    public static final String MESSAGE = "Leader election is on, shutdown hook will not be installed.";

    @Override
    public boolean isLoggable(LogRecord record) {
        return !(LOGGER.equals(record.getLoggerName()) && MESSAGE.equals(record.getMessage()));
    }
}
