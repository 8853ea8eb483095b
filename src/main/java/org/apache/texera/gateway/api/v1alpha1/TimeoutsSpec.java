package org.apache.texera.gateway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class TimeoutsSpec {

    @JsonPropertyDescription("How long a request stream (an open WebSocket included) may stay idle on the listener. "
            + "Default: 1h; Envoy's own 5m would cut idle WebSockets.")
    @Pattern(Patterns.DURATION)
    private String streamIdleTimeout;

    @JsonPropertyDescription("How long a client connection with no open stream may stay idle. Default: Envoy Gateway's (1h).")
    @Pattern(Patterns.DURATION)
    private String connectionIdleTimeout;

    public String getStreamIdleTimeout() {
        return streamIdleTimeout;
    }

    public void setStreamIdleTimeout(String streamIdleTimeout) {
        this.streamIdleTimeout = streamIdleTimeout;
    }

    public String getConnectionIdleTimeout() {
        return connectionIdleTimeout;
    }

    public void setConnectionIdleTimeout(String connectionIdleTimeout) {
        this.connectionIdleTimeout = connectionIdleTimeout;
    }
}
