package io.sparkeras.api.layers.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keras's {@code _analyze_einsum_string} for {@link EinsumDense}: from the equation, the bias
 * axes, the full input shape and the partial output shape, the kernel shape, the bias shape (or
 * null) and the full output shape. Equations have the forms {@code ab,bc->ac},
 * {@code ...b,bc->...c} (left elided) or {@code ab...,bc->ac...} (right elided); -1 is an unknown
 * size (Keras's None).
 */
final class EinsumShapes {
  private static final Pattern PLAIN = Pattern.compile("([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)");
  private static final Pattern LEFT = Pattern.compile("0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)");
  private static final Pattern RIGHT =
      Pattern.compile("([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0");

  final int[] kernel;
  final int[] bias;
  final int[] output;

  private EinsumShapes(int[] kernel, int[] bias, int[] output) {
    this.kernel = kernel;
    this.bias = bias;
    this.output = output;
  }

  /** Checks the equation's form; returns it unchanged. */
  static String checkEquation(String equation) {
    String s = equation.replace("...", "0");
    if (!PLAIN.matcher(s).matches() && !LEFT.matcher(s).matches()
        && !RIGHT.matcher(s).matches()) {
      throw new IllegalArgumentException("EinsumDense equation: expected the form [X],[Y]->[Z], "
          + "...[X],[Y]->...[Z] or [X]...,[Y]->[Z]..., found '" + equation + "'");
    }
    return equation;
  }

  /**
   * @param inputShape the full input shape, batch first
   * @param partialOutput the output shape without the batch and the elided axes
   */
  static EinsumShapes analyze(String equation, String biasAxes, int[] inputShape,
      int[] partialOutput) {
    String s = equation.replace("...", "0");
    Matcher m = PLAIN.matcher(s);
    boolean leftElided = false;
    if (!m.matches()) {
      m = LEFT.matcher(s);
      leftElided = m.matches();
      if (!leftElided) {
        m = RIGHT.matcher(s);
        if (!m.matches()) {
          checkEquation(equation);
        }
      }
    }
    String inSpec = m.group(1);
    String weightSpec = m.group(2);
    String outSpec = m.group(3);
    int elided = inputShape.length - inSpec.length();
    List<Integer> out = new ArrayList<>();
    out.add(inputShape[0]);
    for (int d : partialOutput) {
      out.add(d);
    }
    if (elided > 0 && leftElided) {
      for (int i = 1; i < elided; i++) {
        out.add(1, inputShape[i]);
      }
    } else if (elided > 0) {
      for (int i = inputShape.length - elided; i < inputShape.length; i++) {
        out.add(inputShape[i]);
      }
    }
    int[] output = out.stream().mapToInt(Integer::intValue).toArray();
    for (int k = 0; k < inSpec.length(); k++) {
      int o = outSpec.indexOf(inSpec.charAt(k));
      int insize = inputShape[leftElided ? k + elided : k];
      if (o >= 0 && output[leftElided ? o + elided : o] < 0) {
        // an unknown output size shared with the input is the input's (Keras leaves it None)
        output[leftElided ? o + elided : o] = insize;
      }
      if (o >= 0 && output[leftElided ? o + elided : o] >= 0 && insize >= 0
          && output[leftElided ? o + elided : o] != insize) {
        throw new IllegalArgumentException("EinsumDense: input and output_shape differ at the "
            + "shared dimension '" + inSpec.charAt(k) + "' of '" + equation + "': " + insize
            + " and " + output[leftElided ? o + elided : o]);
      }
    }
    int[] kernel = new int[weightSpec.length()];
    for (int k = 0; k < weightSpec.length(); k++) {
      char c = weightSpec.charAt(k);
      int i = inSpec.indexOf(c);
      int o = outSpec.indexOf(c);
      if (i >= 0) {
        kernel[k] = inputShape[leftElided ? i + elided : i];
      } else if (o >= 0) {
        kernel[k] = output[leftElided ? o + elided : o];
      } else {
        throw new IllegalArgumentException("EinsumDense: weight dimension '" + c + "' of '"
            + equation + "' is in neither the input spec '" + inSpec + "' nor the output spec '"
            + outSpec + "'");
      }
      if (kernel[k] < 0) {
        throw new IllegalArgumentException("EinsumDense: the size of kernel dimension '" + c
            + "' of '" + equation + "' is unknown for input shape " + Arrays.toString(inputShape)
            + " and output_shape " + Arrays.toString(partialOutput));
      }
    }
    return new EinsumShapes(kernel, biasShape(equation, biasAxes, outSpec, output, elided,
        leftElided), output);
  }

  private static int[] biasShape(String equation, String biasAxes, String outSpec, int[] output,
      int elided, boolean leftElided) {
    if (biasAxes == null) {
      return null;
    }
    int first = Integer.MAX_VALUE;
    for (char c : biasAxes.toCharArray()) {
      int at = outSpec.indexOf(c);
      if (at < 0) {
        throw new IllegalArgumentException("EinsumDense bias_axes: '" + c + "' is not in the "
            + "output spec '" + outSpec + "' of '" + equation + "'");
      }
      first = Math.min(first, at);
    }
    int skip = leftElided ? elided : 0;
    List<Integer> b = new ArrayList<>();
    for (int i = first; i < outSpec.length(); i++) {
      b.add(biasAxes.indexOf(outSpec.charAt(i)) >= 0 ? output[i + skip] : 1);
    }
    if (!leftElided) {
      for (int i = 0; i < elided; i++) {
        b.add(1);
      }
    }
    return b.stream().mapToInt(Integer::intValue).toArray();
  }
}
