package org.apache.texera.gateway.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.texera.gateway.api.v1alpha1.TexeraGateway;
import org.apache.texera.gateway.crd.PrinterColumnOrder;

import io.fabric8.crdv2.generator.CRDGenerator;

/**
 * The TexeraGateway CRD exactly as the build generates it (the Quarkus Operator SDK runs the same fabric8
 * crd-generator-api-v2 over the same annotated classes, with the same post-processor), generated here from the classes on the test classpath.
 * Tests then never depend on {@code package} having run first: in {@code verify}, surefire runs before it, and
 * target/kubernetes may be missing or stale.
 */
public final class TexeraGatewayCrd {
    static final String FILE_NAME = "texeragateways.texera.apache.org-v1.yml";
    private static CrdSchemaValidator validator;
    private static Path file;

    private TexeraGatewayCrd() {
    }

    public static synchronized Path file() {
        if (file == null) {
            Path dir = Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "target", "test-generated-crd");
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            new CRDGenerator().inOutputDir(dir.toFile()).forCRDVersions("v1").withParallelGenerationEnabled(false)
                    .withPostProcessor(new PrinterColumnOrder())
                    .customResourceClasses(TexeraGateway.class).detailedGenerate();
            file = dir.resolve(FILE_NAME);
        }
        return file;
    }

    static synchronized CrdSchemaValidator validator() {
        if (validator == null) {
            validator = CrdSchemaValidator.load(file(), TexeraGateway.VERSION);
        }
        return validator;
    }
}
