package io.sparkeras.worker;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkeras.api.backend.Backend;
import io.sparkeras.api.backend.Backends;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** {@link SparkBackend}: the application's {@code spark.sparkeras.backend}, checked per JVM. */
class SparkBackendTest {
  @Test
  void theRunningBackendOrNoKeyIsAccepted() {
    Backend running = Backends.current();
    SparkBackend.select(new SparkConf(false));
    SparkBackend.select(null);
    SparkBackend.select(new SparkConf(false).set(SparkBackend.KEY, running.name()));
    assertSame(running, Backends.current());
  }

  @Test
  void anotherBackendIsRefusedNamingTheKey() {
    Backend running = Backends.current();
    String other = running.name().equals("torch") ? "tensorflow" : "torch";
    SparkConf conf = new SparkConf(false).set(SparkBackend.KEY, other);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> SparkBackend.select(conf));
    assertTrue(e.getMessage().startsWith(SparkBackend.KEY + " asks for the '" + other + "'"),
        e.getMessage());
    assertSame(running, Backends.current());
  }
}
