package org.apache.texera.gateway.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The operator processes of the fault tests and benchmarks start the JVM with the image's start-up flags, so their
 * start figures are the shipped operator's: the flags in OperatorProcess and in Dockerfile.jvm must not drift apart.
 */
class ImageJvmFlagsTest {

    @Test
    void operatorProcessStartsTheJvmAsTheImageDoes() throws IOException {
        String dockerfile = Files.readString(KitBinaries.project().resolve("src/main/docker/Dockerfile.jvm"));
        List<String> imageFlags = Stream.of("GC_CONTAINER_OPTIONS", "JAVA_OPTS_APPEND")
                .flatMap(variable -> OperatorProcess.jvmArgs(env(dockerfile, variable)).stream())
                .filter(flag -> flag.startsWith("-XX:")).toList();
        assertThat(imageFlags).containsExactlyInAnyOrderElementsOf(OperatorProcess.IMAGE_JVM_ARGS);
    }

    private static String env(String dockerfile, String variable) {
        Matcher matcher = Pattern.compile("(?m)^ENV " + variable + "=\"([^\"]*)\"$").matcher(dockerfile);
        assertThat(matcher.find()).as("ENV %s in Dockerfile.jvm", variable).isTrue();
        return matcher.group(1);
    }
}
