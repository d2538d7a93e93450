package io.sparkeras.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes image recipe (docker/Dockerfile, not built by the tests) gives every JVM in its
 * containers the flags of {@link JvmFlags}, the build's single list: a flag added to the parent
 * pom and not to the image fails here.
 */
class DockerfileTest {
  @Test
  void imageCarriesTheBuildsJvmFlags() throws Exception {
    String dockerfile = Files.readString(Path.of("docker", "Dockerfile"));
    Matcher m = Pattern.compile("ENV JDK_JAVA_OPTIONS=\"([^\"]*)\"").matcher(dockerfile);
    assertTrue(m.find(), "ENV JDK_JAVA_OPTIONS=\"...\" in docker/Dockerfile");
    List<String> flags = new ArrayList<>(Arrays.asList(
        m.group(1).replace("\\\n", " ").trim().split("\\s+")));
    assertTrue(flags.remove("-Dorg.bytedeco.javacpp.cachedir=/opt/sparkeras/javacpp-cache"),
        "a JavaCPP cache the image's user can write: " + flags);
    assertEquals(JvmFlags.all(), flags);
    assertTrue(dockerfile.contains("/opt/sparkeras/sparkeras-jobs.jar"), "the jar's path in docs");
  }
}
