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
                .filter(flag -> flag.startsWith("-XX:") && !flag.startsWith(ARCHIVE_FLAG)).toList();
        assertThat(imageFlags).containsExactlyInAnyOrderElementsOf(OperatorProcess.IMAGE_JVM_ARGS);
    }

    /** The archive each start maps is the one the image's training step writes, with the script the benchmark runs. */
    @Test
    void theImageStartsWithTheArchiveItsTrainingStepWrote() throws IOException {
        String dockerfile = Files.readString(KitBinaries.project().resolve("src/main/docker/Dockerfile.jvm"));
        String archive = OperatorProcess.jvmArgs(env(dockerfile, "JAVA_OPTS_APPEND")).stream()
                .filter(flag -> flag.startsWith(ARCHIVE_FLAG)).map(flag -> flag.substring(ARCHIVE_FLAG.length()))
                .findFirst().orElseThrow();
        assertThat(dockerfile).containsPattern("(?m)^RUN sh /deployments/train-cds.sh /deployments/quarkus-run.jar "
                + Pattern.quote(archive) + " \\d+$");
        assertThat(env(dockerfile, "JAVA_APP_JAR")).isEqualTo("/deployments/quarkus-run.jar");
        assertThat(KitBinaries.project().resolve(OperatorProcess.CDS_TRAINING_SCRIPT)).isRegularFile();
    }

    private static final String ARCHIVE_FLAG = "-XX:SharedArchiveFile=";

    private static String env(String dockerfile, String variable) {
        Matcher matcher = Pattern.compile("(?m)^ENV " + variable + "=\"([^\"]*)\"$").matcher(dockerfile);
        assertThat(matcher.find()).as("ENV %s in Dockerfile.jvm", variable).isTrue();
        return matcher.group(1);
    }
}
