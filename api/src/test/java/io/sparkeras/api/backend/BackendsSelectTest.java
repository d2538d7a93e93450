package io.sparkeras.api.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** {@link Backends#select}: how a Spark application names one backend for every JVM. */
class BackendsSelectTest {
  private static final String KEY = "spark.sparkeras.backend";

  @Test
  void selectingTheRunningBackendReturnsIt() {
    Backend running = Backends.current();
    assertSame(running, Backends.select(" " + running.name().toUpperCase(Locale.ROOT), KEY));
  }

  @Test
  void anotherBackendThanTheRunningOneIsRefusedNamingTheSetting() {
    Backend running = Backends.current();
    String other = running.name().equals("torch") ? "tensorflow" : "torch";
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Backends.select(other, KEY));
    assertTrue(e.getMessage().startsWith(KEY + " asks for the '" + other + "' backend"),
        e.getMessage());
    assertTrue(e.getMessage().contains("already runs '" + running.name() + "'"), e.getMessage());
    assertSame(running, Backends.current());
  }

  @Test
  void anUnknownNameIsRefusedBeforeAnythingRunsAndNothingIsChosen() {
    Backend running = Backends.current();
    Backends.swap(null);
    try {
      RuntimeException e = assertThrows(RuntimeException.class,
          () -> Backends.select("nope", KEY));
      boolean explicit = System.getProperty(Backends.BACKEND_PROP_NAME) != null
          || System.getenv(Backends.BACKEND_ENV_NAME) != null;
      if (explicit) {
        // the JVM's own setting names another backend: that conflict is reported first
        assertTrue(e instanceof IllegalStateException, e.toString());
        assertTrue(e.getMessage().contains("names '" + Backends.configuredName() + "'"),
            e.getMessage());
      } else {
        assertTrue(e instanceof IllegalArgumentException, e.toString());
        assertEquals(KEY + ": unknown backend 'nope'; expected one of "
            + Backends.available(), e.getMessage());
      }
      assertTrue(e.getMessage().startsWith(KEY), e.getMessage());
      assertNull(Backends.swap(null), "a refused selection chooses nothing");
    } finally {
      Backends.swap(running);
    }
  }
}
