package io.sparkeras.api.layers.preprocessing;

import io.sparkeras.api.layers.Layer;
import io.sparkeras.api.config.Registry;

/** Registers the preprocessing layers under their Keras class names (for configs and files). */
public final class PreprocessingLayers {
  private PreprocessingLayers() {}

  /** Registers every preprocessing layer in {@code r} (the layer registry). */
  public static void register(Registry<Layer> r) {
    r.registerBuiltIn("Normalization", Normalization.class, Normalization::fromConfig);
    r.registerBuiltIn("Discretization", Discretization.class, Discretization::fromConfig);
    r.registerBuiltIn("CategoryEncoding", CategoryEncoding.class, CategoryEncoding::fromConfig);
    r.registerBuiltIn("Hashing", Hashing.class, Hashing::fromConfig);
    r.registerBuiltIn("HashedCrossing", HashedCrossing.class, HashedCrossing::fromConfig);
    r.registerBuiltIn("StringLookup", StringLookup.class, StringLookup::fromConfig);
    r.registerBuiltIn("IntegerLookup", IntegerLookup.class, IntegerLookup::fromConfig);
    r.registerBuiltIn("TextVectorization", TextVectorization.class,
        TextVectorization::fromConfig);
    r.registerBuiltIn("Rescaling", Rescaling.class, Rescaling::fromConfig);
    r.registerBuiltIn("Resizing", Resizing.class, Resizing::fromConfig);
    r.registerBuiltIn("CenterCrop", CenterCrop.class, CenterCrop::fromConfig);
    r.registerBuiltIn("RandomFlip", RandomFlip.class, RandomFlip::fromConfig);
    r.registerBuiltIn("RandomRotation", RandomRotation.class, RandomRotation::fromConfig);
    r.registerBuiltIn("RandomZoom", RandomZoom.class, RandomZoom::fromConfig);
    r.registerBuiltIn("RandomTranslation", RandomTranslation.class,
        RandomTranslation::fromConfig);
    r.registerBuiltIn("RandomCrop", RandomCrop.class, RandomCrop::fromConfig);
    r.registerBuiltIn("RandomContrast", RandomContrast.class, RandomContrast::fromConfig);
    r.registerBuiltIn("RandomBrightness", RandomBrightness.class, RandomBrightness::fromConfig);
  }
}
