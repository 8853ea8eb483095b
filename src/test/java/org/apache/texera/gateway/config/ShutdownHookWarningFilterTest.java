package org.apache.texera.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

class ShutdownHookWarningFilterTest {
    private final ShutdownHookWarningFilter filter = new ShutdownHookWarningFilter();

    private static LogRecord record(String logger, String message) {
        LogRecord record = new LogRecord(Level.WARNING, message);
        record.setLoggerName(logger);
        return record;
    }

    @Test
    void dropsOnlyJosdksShutdownHookWarning() {
        assertThat(filter.isLoggable(record(ShutdownHookWarningFilter.LOGGER, ShutdownHookWarningFilter.MESSAGE))).isFalse();
        assertThat(filter.isLoggable(record(ShutdownHookWarningFilter.LOGGER, "Operator SDK 5.1.5 is shutting down...")))
                .as("JOSDK's other messages").isTrue();
        assertThat(filter.isLoggable(record("org.apache.texera.gateway.Main", ShutdownHookWarningFilter.MESSAGE)))
                .as("the same words from another logger").isTrue();
    }
}
