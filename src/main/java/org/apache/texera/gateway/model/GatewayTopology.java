package org.apache.texera.gateway.model;

import java.util.List;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Every object one TexeraGateway stands for, except the per-unit ones, in the order they are written: what a
 * route or policy refers to comes before it.
 */
public record GatewayTopology(List<HasMetadata> objects) {
}
