package org.apache.texera.gateway.model;

/** Which TexeraGateway an object belongs to. */
public record GatewayRef(String namespace, String name) {
    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
