package io.sparkeras.worker;

import io.sparkeras.api.backend.ParameterBlock;
import io.sparkeras.ps.client.ParameterServerClient;
import java.nio.FloatBuffer;

/**
 * A worker's gradient push that starts while backward still runs (PyTorch DDP's buckets,
 * Horovod's tensor fusion): the backend reports how far from the end the flat gradient is final
 * ({@link ParameterBlock#onGradientsReady}), and each report scales that part (sync mode's
 * {@code rows × N / globalRows}) and sends whichever of its chunks are complete
 * ({@link ParameterServerClient#pushGradientFrom}). The server sums and updates the last layers'
 * shards while this worker computes the first layers' gradients. {@link #finish} sends the rest
 * once backward has returned; without overlap, or on a backend that cannot report, that is the
 * whole push. Either way it is the one place a worker's gradient is scaled and pushed.
 *
 * <pre>{@code
 * GradientStream stream = GradientStream.attach(block, client, grads, true);
 * stream.begin(epoch, step, scale, samples);
 * double loss = model.computeGradients(batch);   // pushes begin in here
 * client.beginPull(step + 1, params);            // each shard asked as soon as its part is sent
 * stream.finish((float) loss);
 * client.awaitPull();
 * stream.detach();
 * }</pre>
 *
 * <p>Allocates nothing per step. The loss rides on every chunk, but the server reads it from the
 * chunk that completes shard 0, the first layers', which only {@link #finish} sends.
 */
final class GradientStream implements ParameterBlock.GradientsReady {
  private final ParameterBlock block;
  private final ParameterServerClient client;
  private final FloatBuffer grads;
  /** Whether reports come during backward (asked for, and not on CUDA or tensorflow). */
  private final boolean reports;
  private int epoch;
  private long step;
  private float scale;
  private int samples;
  /** Gradients from here to the end are scaled and handed to the client. */
  private int sent;
  private boolean open;
  /** Floats handed to the client during backward, and in all, over the finished steps. */
  private long early;
  private long total;

  private GradientStream(ParameterBlock block, ParameterServerClient client, FloatBuffer grads,
      boolean overlap) {
    this.block = block;
    this.client = client;
    this.grads = grads;
    this.reports = overlap && block.onGradientsReady(this);
  }

  /**
   * The pushes of {@code client} from {@code grads}; with {@code overlap}, started during backward
   * from {@code block}'s reports ({@link #detach} ends the listening), else all by {@link #finish}.
   */
  static GradientStream attach(ParameterBlock block, ParameterServerClient client,
      FloatBuffer grads, boolean overlap) {
    return new GradientStream(block, client, grads, overlap);
  }

  /** The next backward pass computes step {@code step}'s gradient over {@code samples} rows. */
  void begin(int epoch, long step, float scale, int samples) {
    this.epoch = epoch;
    this.step = step;
    this.scale = scale;
    this.samples = samples;
    this.sent = block.size();
    this.open = true;
  }

  @Override
  public void ready(int from) {
    if (!open || from >= sent) {
      return;
    }
    scaleRange(from, sent);
    sent = from;
    client.pushGradientFrom(epoch, step, grads, from, Float.NaN, samples);
  }

  /** Backward has returned: sends what is left, with the step's loss; completes the push. */
  void finish(float loss) {
    early += block.size() - sent;
    total += block.size();
    scaleRange(0, sent);
    sent = 0;
    open = false;
    client.pushGradientFrom(epoch, step, grads, 0, loss, samples);
  }

  /** The share of the gradients pushed while backward still ran, over the finished steps. */
  double earlyFraction() {
    return total == 0 ? 0 : (double) early / total;
  }

  /** Stops listening (the model goes back to its pool and may train locally next). */
  void detach() {
    open = false;
    if (reports) {
      block.onGradientsReady(null);
    }
  }

  private void scaleRange(int from, int to) {
    if (scale == 1f) {
      return;
    }
    for (int i = from; i < to; i++) {
      grads.put(i, grads.get(i) * scale);
    }
  }
}
