package io.sparkeras.api.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expected strings are what CPython 3 prints for the same calls. */
class PyFormatTest {

  @Test
  void reprLikePython() {
    assertEquals("0.1", PyFormat.repr(0.1));
    assertEquals("1.0", PyFormat.repr(1.0));
    assertEquals("100.0", PyFormat.repr(100.0));
    assertEquals("0.0001", PyFormat.repr(1e-4));
    assertEquals("1e-05", PyFormat.repr(1e-5));
    assertEquals("1.5e-05", PyFormat.repr(1.5e-5));
    assertEquals("1e+16", PyFormat.repr(1e16));
    assertEquals("1234567890123456.0", PyFormat.repr(1234567890123456.0));
    assertEquals("-2.5", PyFormat.repr(-2.5));
    assertEquals("-0.0", PyFormat.repr(-0.0));
    assertEquals("0.30000000000000004", PyFormat.repr(0.1 + 0.2));
    assertEquals("nan", PyFormat.repr(Double.NaN));
    assertEquals("-inf", PyFormat.repr(Double.NEGATIVE_INFINITY));
  }

  @Test
  void formatSpecsLikePython() {
    assertEquals("03", PyFormat.format(3, "02d"));
    assertEquals("123", PyFormat.format(123, "02d"));
    assertEquals("0.41", PyFormat.format(0.4123, ".2f"));
    assertEquals("0.12", PyFormat.format(0.125, ".2f"));      // half-even on the exact value
    assertEquals("2.67", PyFormat.format(2.675, ".2f"));      // 2.675 is 2.67499999...
    assertEquals("1.234560e-05", PyFormat.format(1.23456e-5, "e"));
    assertEquals("1.2E+03", PyFormat.format(1234.0, ".1E"));
    assertEquals("0.0001", PyFormat.format(1e-4, "g"));
    assertEquals("1e-05", PyFormat.format(1e-5, "g"));
    assertEquals("1.23457e+06", PyFormat.format(1234567.0, "g"));
    assertEquals("100", PyFormat.format(100.0, "g"));
    assertEquals("100.0", PyFormat.format(100.0, ".3"));
    assertEquals("1e+02", PyFormat.format(100.0, ".1"));
    assertEquals("12.5%", PyFormat.format(0.125, ".1%"));
    assertEquals("  0.5", PyFormat.format(0.5, "5.1f"));
    assertEquals("-0005", PyFormat.format(-5, "05d"));
    assertEquals("+1.00", PyFormat.format(1.0, "+.2f"));
    assertEquals("**7**", PyFormat.format(7, "*^5"));
    assertEquals("1,234,567", PyFormat.format(1234567, ","));
    assertEquals("3.00", PyFormat.format(3, ".2f"));
  }

  @Test
  void rejectsWhatPythonRejects() {
    assertThrows(IllegalArgumentException.class, () -> PyFormat.format(0.5, "02d"));
    assertThrows(IllegalArgumentException.class, () -> PyFormat.format(3, ".2d"));
    assertThrows(IllegalArgumentException.class, () -> PyFormat.format(3, "q"));
  }

  @Test
  void templatesNameKeysAndEscapeBraces() {
    Map<String, Object> v = Map.of("epoch", 3, "val_loss", 0.41234);
    assertEquals("model-03-0.41.sparkeras",
        PyFormat.formatTemplate("model-{epoch:02d}-{val_loss:.2f}.sparkeras", v));
    assertEquals("{3}-0.41234", PyFormat.formatTemplate("{{{epoch}}}-{val_loss}", v));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PyFormat.formatTemplate("m-{val_acc:.2f}", v));
    assertTrue(e.getMessage().contains("val_acc") && e.getMessage().contains("val_loss"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> PyFormat.formatTemplate("m-{}", v));
    assertThrows(IllegalArgumentException.class, () -> PyFormat.formatTemplate("m-{epoch", v));
    assertThrows(IllegalArgumentException.class, () -> PyFormat.formatTemplate("m-}", v));
  }
}
