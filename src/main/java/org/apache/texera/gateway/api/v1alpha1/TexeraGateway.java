package org.apache.texera.gateway.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One Texera release's gateway: the operator turns it into a Gateway, its routes and policies on Envoy Gateway,
 * and a route per ready computing unit.
 */
@Group(TexeraGateway.GROUP)
@Version(TexeraGateway.VERSION)
@ShortNames("tgw")
// Declared in the order kubectl prints them (PrinterColumnOrder keeps it): NAME, READY, [REASON with -o wide], UNITS,
// ADDRESS, AGE.
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Reason", type = AdditionalPrinterColumn.Type.STRING, priority = 1,
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason")
@AdditionalPrinterColumn(name = "Units", type = AdditionalPrinterColumn.Type.INTEGER,
        jsonPath = ".status.units.routed")
@AdditionalPrinterColumn(name = "Address", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.addresses[0]")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE,
        jsonPath = ".metadata.creationTimestamp")
public class TexeraGateway extends CustomResource<TexeraGatewaySpec, TexeraGatewayStatus> implements Namespaced {
    public static final String GROUP = "texera.apache.org";
    public static final String VERSION = "v1alpha1";

    @Override
    @JsonPropertyDescription("What Texera's gateway should be: hostname, TLS, routes, object storage, computing units, auth. "
            + "`spec: {}` gives Texera's standard topology.")
    public TexeraGatewaySpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("What the operator and Envoy Gateway made of the spec. Written by the operator only.")
    public TexeraGatewayStatus getStatus() {
        return super.getStatus();
    }

    @Override
    protected TexeraGatewaySpec initSpec() {
        return new TexeraGatewaySpec();
    }
}
