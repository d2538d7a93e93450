package io.sparkeras.api.saving;

import io.sparkeras.api.models.Model;
import io.sparkeras.api.testing.KerasReference;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models with the convolution, recurrent and attention layers (nested cells, forward and
 * backward layers, wrapped layers, several outputs, call arguments, nested models) saved and
 * loaded, then checked against Keras's numbers again.
 */
class ConvRecurrentAttentionSaveLoadTest {
  @TempDir
  Path dir;

  @Test
  void savedAndLoadedModelsStillMatchKeras() throws IOException {
    for (String name : new String[] {"bidirectional_states", "conv_lstm2d_channels_first_states",
        "masked_stack_flowing", "mha_attention_mask_scores"}) {
      KerasReference ref = KerasReference.load(name);
      String path = "file:" + dir.resolve(name + ".sparkeras");
      ref.model().save(path);
      ref.check(Model.load(path), 1e-5);
    }
  }
}
