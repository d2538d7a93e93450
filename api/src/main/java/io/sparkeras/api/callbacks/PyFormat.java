package io.sparkeras.api.callbacks;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python's {@code str.format} for the values callbacks see (ints and doubles), so that file names
 * and CSV cells come out as Keras writes them: {@code repr(float)} ({@code 0.1}, {@code 1e-05}),
 * and the format-spec mini-language ({@code 02d}, {@code .2f}, {@code .3e}, {@code g},
 * {@code %}, fill, align, sign, width, grouping). Rounding is half-even on the exact binary value,
 * as in CPython ({@code format(0.125, ".2f") == "0.12"}).
 */
final class PyFormat {
  private static final Pattern SPEC = Pattern.compile(
      "(?:(.)?([<>=^]))?([+\\- ])?(#)?(0)?(\\d+)?([,_])?(?:\\.(\\d+))?([bdeEfFgGnosxX%])?");

  private PyFormat() {}

  /** Python's {@code repr(float)}: shortest digits, scientific below 1e-4 and from 1e16. */
  static String repr(double v) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    if (v == 0) {
      return 1 / v < 0 ? "-0.0" : "0.0";
    }
    BigDecimal bd = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
    String digits = bd.unscaledValue().toString();
    int x = digits.length() - 1 - bd.scale();
    String sign = v < 0 ? "-" : "";
    if (x >= -4 && x < 16) {
      if (x < 0) {
        return sign + "0." + "0".repeat(-x - 1) + digits;
      }
      if (digits.length() <= x + 1) {
        return sign + digits + "0".repeat(x + 1 - digits.length()) + ".0";
      }
      return sign + digits.substring(0, x + 1) + "." + digits.substring(x + 1);
    }
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    return sign + mantissa + exponent(x);
  }

  /** Python's {@code str(value)} for the value types of logs. */
  static String str(Object value) {
    if (value instanceof Double || value instanceof Float) {
      return repr(((Number) value).doubleValue());
    }
    return String.valueOf(value);
  }

  /**
   * Fills a Python format string: {@code "ckpt-{epoch:02d}-{val_loss:.2f}.sparkeras"}.
   * {@code {{} and {@code }}} are literal braces; {@code !s} / {@code !r} conversions are
   * accepted.
   *
   * @throws IllegalArgumentException for a key not in {@code values} (naming the keys there are)
   *     or a malformed template or spec
   */
  static String formatTemplate(String template, Map<String, ?> values) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    int n = template.length();
    while (i < n) {
      char c = template.charAt(i);
      if (c == '{') {
        if (i + 1 < n && template.charAt(i + 1) == '{') {
          out.append('{');
          i += 2;
          continue;
        }
        int close = template.indexOf('}', i);
        if (close < 0) {
          throw new IllegalArgumentException("format string \"" + template
              + "\": single '{' encountered");
        }
        String field = template.substring(i + 1, close);
        if (field.indexOf('{') >= 0) {
          throw new IllegalArgumentException("format string \"" + template
              + "\": nested fields are not supported");
        }
        out.append(formatField(template, field, values));
        i = close + 1;
      } else if (c == '}') {
        if (i + 1 < n && template.charAt(i + 1) == '}') {
          out.append('}');
          i += 2;
          continue;
        }
        throw new IllegalArgumentException("format string \"" + template
            + "\": single '}' encountered");
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static String formatField(String template, String field, Map<String, ?> values) {
    String spec = "";
    int colon = field.indexOf(':');
    if (colon >= 0) {
      spec = field.substring(colon + 1);
      field = field.substring(0, colon);
    }
    String conversion = null;
    int bang = field.indexOf('!');
    if (bang >= 0) {
      conversion = field.substring(bang + 1);
      field = field.substring(0, bang);
      if (!conversion.equals("s") && !conversion.equals("r")) {
        throw new IllegalArgumentException("format string \"" + template
            + "\": unsupported conversion '!" + conversion + "'");
      }
    }
    if (field.isEmpty()) {
      throw new IllegalArgumentException("format string \"" + template
          + "\": positional fields '{}' are not supported; name a key such as {epoch}");
    }
    if (!values.containsKey(field)) {
      throw new IllegalArgumentException("format string \"" + template + "\": no value for '"
          + field + "'; available keys are " + new TreeSet<>(values.keySet()));
    }
    Object value = values.get(field);
    if (conversion != null) {
      return formatString(str(value), spec);
    }
    return format(value, spec);
  }

  /** Python's {@code format(value, spec)} for an int, long or double. */
  static String format(Object value, String spec) {
    Matcher m = SPEC.matcher(spec);
    if (!m.matches()) {
      throw new IllegalArgumentException("invalid format specifier '" + spec + "'");
    }
    String fill = m.group(1);
    String align = m.group(2);
    String signFlag = m.group(3) == null ? "-" : m.group(3);
    boolean alt = m.group(4) != null;
    boolean zero = m.group(5) != null;
    int width = m.group(6) == null ? 0 : Integer.parseInt(m.group(6));
    String grouping = m.group(7);
    Integer precision = m.group(8) == null ? null : Integer.parseInt(m.group(8));
    char type = m.group(9) == null ? 0 : m.group(9).charAt(0);

    boolean negative;
    String body;
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      long v = ((Number) value).longValue();
      if ("eEfFgG%".indexOf(type) >= 0 && type != 0) {
        return format((double) v, spec);
      }
      if (precision != null) {
        throw new IllegalArgumentException("invalid format specifier '" + spec
            + "' for an int: precision not allowed in integer format specifier");
      }
      negative = v < 0;
      String abs = v == Long.MIN_VALUE ? Long.toString(v).substring(1)
          : Long.toString(Math.abs(v));
      switch (type) {
        case 0:
        case 'd':
        case 'n':
          body = abs;
          break;
        case 'b':
          body = (alt ? "0b" : "") + Long.toBinaryString(Math.abs(v));
          break;
        case 'o':
          body = (alt ? "0o" : "") + Long.toOctalString(Math.abs(v));
          break;
        case 'x':
          body = (alt ? "0x" : "") + Long.toHexString(Math.abs(v));
          break;
        case 'X':
          body = (alt ? "0X" : "") + Long.toHexString(Math.abs(v)).toUpperCase(Locale.ROOT);
          break;
        default:
          throw new IllegalArgumentException("unknown format code '" + type
              + "' for object of type 'int'");
      }
    } else if (value instanceof Double || value instanceof Float) {
      double v = ((Number) value).doubleValue();
      if ("bdnosxX".indexOf(type) >= 0 && type != 0) {
        throw new IllegalArgumentException("unknown format code '" + type
            + "' for object of type 'float'");
      }
      negative = !Double.isNaN(v) && Math.copySign(1.0, v) < 0;
      body = floatBody(Math.abs(v), type, precision, alt);
    } else {
      if (spec.isEmpty()) {
        return str(value);
      }
      return formatString(str(value), spec);
    }
    if (grouping != null) {
      body = group(body, grouping.charAt(0));
    }
    String sign = negative ? "-" : signFlag.equals("-") ? "" : signFlag;
    if (align == null && zero) {
      fill = "0";
      align = "=";
    }
    return pad(sign, body, fill == null ? " " : fill, align == null ? ">" : align, width);
  }

  private static String floatBody(double a, char type, Integer precision, boolean alt) {
    if (Double.isNaN(a) || Double.isInfinite(a)) {
      String s = Double.isNaN(a) ? "nan" : "inf";
      if (type == '%') {
        return s + "%";
      }
      return Character.isUpperCase(type) ? s.toUpperCase(Locale.ROOT) : s;
    }
    switch (type) {
      case 'f':
      case 'F':
        return fixed(new BigDecimal(a), precision == null ? 6 : precision, alt);
      case '%':
        return fixed(new BigDecimal(a * 100), precision == null ? 6 : precision, alt) + "%";
      case 'e':
      case 'E': {
        String s = scientific(a, precision == null ? 6 : precision, alt);
        return type == 'E' ? s.toUpperCase(Locale.ROOT) : s;
      }
      case 'g':
      case 'G': {
        String s = general(a, precision == null ? 6 : precision, alt, false);
        return type == 'G' ? s.toUpperCase(Locale.ROOT) : s;
      }
      default:
        if (precision == null) {
          return repr(a);
        }
        return general(a, precision, alt, true);
    }
  }

  private static String fixed(BigDecimal a, int p, boolean alt) {
    String s = a.setScale(p, RoundingMode.HALF_EVEN).toPlainString();
    return p == 0 && alt ? s + "." : s;
  }

  private static String scientific(double a, int p, boolean alt) {
    String digits;
    int x;
    if (a == 0) {
      digits = "0".repeat(p + 1);
      x = 0;
    } else {
      BigDecimal r = new BigDecimal(a).round(new MathContext(p + 1, RoundingMode.HALF_EVEN));
      digits = r.unscaledValue().toString();
      x = digits.length() - 1 - r.scale();
      digits = digits.length() > p + 1 ? digits.substring(0, p + 1)
          : digits + "0".repeat(p + 1 - digits.length());
    }
    String mantissa = digits.substring(0, 1) + (p > 0 ? "." + digits.substring(1) : alt ? "." : "");
    return mantissa + exponent(x);
  }

  /** 'g' and the no-type-with-precision form (which keeps at least one decimal). */
  private static String general(double a, int p, boolean alt, boolean keepPoint) {
    if (p == 0) {
      p = 1;
    }
    int x = 0;
    if (a != 0) {
      BigDecimal r = new BigDecimal(a).round(new MathContext(p, RoundingMode.HALF_EVEN));
      x = r.precision() - 1 - r.scale();
    }
    String s;
    boolean sci = x < -4 || x >= p;
    if (sci) {
      s = scientific(a, p - 1, alt);
    } else {
      s = fixed(new BigDecimal(a), p - 1 - x, alt);
    }
    if (!alt) {
      int e = s.indexOf('e');
      String mant = e >= 0 ? s.substring(0, e) : s;
      String exp = e >= 0 ? s.substring(e) : "";
      if (mant.indexOf('.') >= 0) {
        mant = mant.replaceAll("0+$", "");
        if (mant.endsWith(".")) {
          mant = mant.substring(0, mant.length() - 1);
        }
      }
      s = mant + exp;
    }
    if (keepPoint && !sci && s.indexOf('.') < 0) {
      s = s + ".0";
    }
    return s;
  }

  private static String exponent(int x) {
    return String.format(Locale.ROOT, "e%+03d", x);
  }

  private static String group(String body, char sep) {
    int end = 0;
    while (end < body.length() && Character.isDigit(body.charAt(end))) {
      end++;
    }
    String intPart = body.substring(0, end);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < intPart.length(); i++) {
      if (i > 0 && (intPart.length() - i) % 3 == 0) {
        b.append(sep);
      }
      b.append(intPart.charAt(i));
    }
    return b + body.substring(end);
  }

  private static String formatString(String s, String spec) {
    Matcher m = SPEC.matcher(spec);
    if (!m.matches() || (m.group(9) != null && !m.group(9).equals("s")) || m.group(3) != null
        || m.group(7) != null) {
      throw new IllegalArgumentException("invalid format specifier '" + spec + "' for a string");
    }
    if (m.group(8) != null) {
      s = s.substring(0, Math.min(s.length(), Integer.parseInt(m.group(8))));
    }
    int width = m.group(6) == null ? 0 : Integer.parseInt(m.group(6));
    String align = m.group(2) == null ? "<" : m.group(2);
    if (align.equals("=")) {
      throw new IllegalArgumentException("'=' alignment not allowed in string format specifier");
    }
    return pad("", s, m.group(1) == null ? (m.group(5) != null ? "0" : " ") : m.group(1), align,
        width);
  }

  private static String pad(String sign, String body, String fill, String align, int width) {
    int missing = width - sign.length() - body.length();
    if (missing <= 0) {
      return sign + body;
    }
    switch (align) {
      case "<":
        return sign + body + fill.repeat(missing);
      case "^":
        return fill.repeat(missing / 2) + sign + body + fill.repeat(missing - missing / 2);
      case "=":
        return sign + fill.repeat(missing) + body;
      default:
        return fill.repeat(missing) + sign + body;
    }
  }
}
