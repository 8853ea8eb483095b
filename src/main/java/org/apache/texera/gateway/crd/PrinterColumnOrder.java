package org.apache.texera.gateway.crd;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.apache.texera.gateway.api.v1alpha1.TexeraGateway;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;

/**
 * Puts the TexeraGateway's printer columns in the order they are declared on {@link TexeraGateway}, the order people
 * read them (NAME, READY, UNITS, ADDRESS, AGE; REASON after READY with {@code -o wide}). The CRD generator sorts
 * them by JSON path, which would print AGE first. Build time only: the Quarkus Operator SDK runs it over the
 * generated CRD ({@code quarkus.operator-sdk.crd.post-processor}); the operator never loads it.
 */
public class PrinterColumnOrder implements CRDPostProcessor {

    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
        if (crd instanceof CustomResourceDefinition definition
                && definition.getSpec().getNames().getKind().equals(TexeraGateway.class.getSimpleName())) {
            definition.getSpec().getVersions().forEach(version -> {
                if (version.getAdditionalPrinterColumns() != null) {
                    version.setAdditionalPrinterColumns(declared(version.getAdditionalPrinterColumns()));
                }
            });
        }
        return crd;
    }

    static List<CustomResourceColumnDefinition> declared(List<CustomResourceColumnDefinition> generated) {
        List<String> order = new ArrayList<>();
        for (AdditionalPrinterColumn column : TexeraGateway.class.getAnnotationsByType(AdditionalPrinterColumn.class)) {
            order.add(column.name());
        }
        List<CustomResourceColumnDefinition> sorted = new ArrayList<>(generated);
        sorted.sort(Comparator.comparingInt(column -> {
            int at = order.indexOf(column.getName());
            return at < 0 ? order.size() : at;
        }));
        return sorted;
    }
}
