package org.apache.texera.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A class Jackson meets in a native image without a registration fails at run time only: catch it here instead. */
class NativeReflectionTest {
    /** The packages whose classes are (de)serialized by reflection: the CR and our typed Envoy Gateway kinds. */
    private static final List<String> SERIALIZED_PACKAGES = List.of("org.apache.texera.gateway.api.v1alpha1",
            "org.apache.texera.gateway.envoygateway");

    @Test
    void everySerializedClassIsRegistered() throws IOException, URISyntaxException {
        Set<String> registered = Arrays.stream(NativeReflection.class.getAnnotation(RegisterForReflection.class).targets())
                .map(Class::getName).collect(Collectors.toSet());
        Set<String> compiled = compiledClasses();

        assertThat(compiled).as("classes found in target/classes").isNotEmpty()
                .contains("org.apache.texera.gateway.api.v1alpha1.TexeraGateway");
        assertThat(registered).as("NativeReflection's targets: add the missing classes there").containsAll(compiled);
        assertThat(compiled).as("NativeReflection lists classes that no longer exist in these packages")
                .containsAll(registered);
    }

    /** Binary names of the top-level and nested classes compiled into the serialized packages. */
    private static Set<String> compiledClasses() throws IOException, URISyntaxException {
        Path classes = Path.of(NativeReflection.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<String> names = new java.util.TreeSet<>();
        for (String pkg : SERIALIZED_PACKAGES) {
            Path dir = classes.resolve(pkg.replace('.', '/'));
            try (Stream<Path> files = Files.list(dir)) {
                files.map(file -> file.getFileName().toString())
                        .filter(name -> name.endsWith(".class") && !name.equals("package-info.class"))
                        // Anonymous and local classes ($1, $1Local) are never a JSON type.
                        .filter(name -> !name.matches(".*\\$\\d.*"))
                        .map(name -> pkg + "." + name.substring(0, name.length() - ".class".length()))
                        .forEach(names::add);
            }
        }
        return names;
    }
}
