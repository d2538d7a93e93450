package io.sparkeras.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkeras.api.initializers.GlorotUniform;
import io.sparkeras.api.initializers.Initializer;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first lookup in a registry runs the registrations once; a second thread that asks while
 * they run waits for all of them (two tuner trials building models at once saw a half-filled
 * registry: "initializer GlorotUniform is not registered"). The registries live in static fields,
 * so the race runs in a fresh class loader where nothing is registered yet, with a slow
 * registration found before the built-ins.
 */
class RegistryLoadingTest {

  @Test
  void aSecondThreadWaitsUntilEveryRegistrationIsIn(@TempDir Path dir) throws Exception {
    Path services = dir.resolve("META-INF/services/" + Registrations.class.getName());
    Files.createDirectories(services.getParent());
    Files.writeString(services, SlowRegistrations.class.getName() + "\n", StandardCharsets.UTF_8);
    List<URL> urls = new ArrayList<>();
    urls.add(dir.toUri().toURL());
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      urls.add(new File(entry).toURI().toURL());
    }
    ClassLoader previous = Thread.currentThread().getContextClassLoader();
    try (URLClassLoader fresh = new URLClassLoader(urls.toArray(new URL[0]),
        ClassLoader.getPlatformClassLoader())) {
      Thread.currentThread().setContextClassLoader(fresh);
      Object seen = fresh.loadClass(Race.class.getName()).getMethod("run").invoke(null);
      assertEquals("GlorotUniform", seen);
    } finally {
      Thread.currentThread().setContextClassLoader(previous);
    }
  }

  /** Runs first of the registrations and takes its time, so that the race window is wide. */
  public static final class SlowRegistrations implements Registrations {
    static final CountDownLatch STARTED = new CountDownLatch(1);

    @Override
    public void register() {
      STARTED.countDown();
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Loaded in the fresh class loader: one thread starts the registrations, this one asks. */
  public static final class Race {
    private Race() {}

    /** The name the registry gives GlorotUniform, or the error the lookup threw. */
    public static Object run() throws Exception {
      Thread first = new Thread(Initializer.REGISTRY::names, "first-lookup");
      first.setContextClassLoader(Race.class.getClassLoader());
      first.start();
      if (!SlowRegistrations.STARTED.await(30, TimeUnit.SECONDS)) {
        return "the registrations never started";
      }
      try {
        return Initializer.REGISTRY.classNameOf(new GlorotUniform());
      } catch (IllegalStateException e) {
        return e.getMessage();
      } finally {
        first.join();
      }
    }
  }
}
