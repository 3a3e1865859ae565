package dev.shopsearch.trainer.locked;

import dev.shopsearch.trainer.data.Example;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Frozen-tower features of examples and texts through the {@link FeatureCache}: each photo and each
 * distinct caption is computed once, ever. Photos that cannot be read or decoded are skipped and
 * logged, never the run. Not thread-safe (one caller at a time).
 */
final class FeatureExtractor {

  private static final int IMAGE_CHUNK = 128;
  private static final int IMAGE_BATCH = 32;
  private static final int TEXT_BATCH = 64;

  private final FrozenTowers towers;
  private final FeatureCache cache;
  private final Consumer<String> log;

  FeatureExtractor(FrozenTowers towers, FeatureCache cache, Consumer<String> log) {
    this.towers = towers;
    this.cache = cache;
    this.log = log;
  }

  FeatureCache cache() {
    return cache;
  }

  /** Text features {@code [n][textWidth]} of {@code texts}, aligned by index. */
  float[][] texts(List<String> texts) {
    List<byte[]> utf8 = new ArrayList<>();
    texts.forEach(c -> utf8.add(c.getBytes(StandardCharsets.UTF_8)));
    return cache.features(
        towers.textKey(),
        utf8,
        TEXT_BATCH,
        batch -> {
          List<String> decoded = new ArrayList<>();
          batch.forEach(b -> decoded.add(new String(b, StandardCharsets.UTF_8)));
          return towers.textFeatures(decoded);
        });
  }

  /** Features of every example whose photo is usable; groups are re-indexed from 0. */
  Features features(List<Example> examples) {
    return features(examples, false);
  }

  /**
   * As {@link #features(List)}; with {@code flips} also the features of every photo mirrored
   * left-right (cached under their own tower key).
   */
  Features features(List<Example> examples, boolean flips) {
    Map<String, float[]> imageByRef = imageFeatures(examples, false);
    Map<String, float[]> flippedByRef = flips ? imageFeatures(examples, true) : Map.of();
    Map<String, Integer> captionIndex = new LinkedHashMap<>();
    for (Example e : examples) {
      e.captions().forEach(c -> captionIndex.putIfAbsent(c, captionIndex.size()));
    }
    float[][] captionFeatures = texts(new ArrayList<>(captionIndex.keySet()));
    List<float[]> image = new ArrayList<>();
    List<float[]> flipped = new ArrayList<>();
    List<float[][]> captions = new ArrayList<>();
    List<Integer> groups = new ArrayList<>();
    List<Integer> index = new ArrayList<>();
    Map<String, Integer> groupIndex = new HashMap<>();
    int skipped = 0;
    for (int i = 0; i < examples.size(); i++) {
      Example e = examples.get(i);
      float[] fi = imageByRef.get(e.imageRef());
      float[] ff = flippedByRef.get(e.imageRef());
      if (fi == null || (flips && ff == null)) {
        skipped++;
        continue;
      }
      float[][] variants = new float[e.captions().size()][];
      for (int v = 0; v < variants.length; v++) {
        variants[v] = captionFeatures[captionIndex.get(e.captions().get(v))];
      }
      image.add(fi);
      flipped.add(ff);
      captions.add(variants);
      groups.add(groupIndex.computeIfAbsent(e.group(), g -> groupIndex.size()));
      index.add(i);
    }
    return new Features(
        image.toArray(float[][]::new),
        flips ? flipped.toArray(float[][]::new) : null,
        captions.toArray(float[][][]::new),
        groups.stream().mapToInt(Integer::intValue).toArray(),
        index.stream().mapToInt(Integer::intValue).toArray(),
        skipped);
  }

  /**
   * Features by image reference (of the mirrored photos with {@code flipped}); unreadable or
   * undecodable photos map to nothing.
   */
  Map<String, float[]> imageFeatures(List<Example> examples, boolean flipped) {
    List<String> refs =
        new ArrayList<>(new LinkedHashSet<>(examples.stream().map(Example::imageRef).toList()));
    Map<String, float[]> out = new HashMap<>();
    for (int from = 0; from < refs.size(); from += IMAGE_CHUNK) {
      List<String> chunk = refs.subList(from, Math.min(refs.size(), from + IMAGE_CHUNK));
      List<String> readable = new ArrayList<>();
      List<byte[]> bytes = new ArrayList<>();
      for (String ref : chunk) {
        try {
          bytes.add(Files.readAllBytes(Path.of(ref)));
          readable.add(ref);
        } catch (IOException | RuntimeException e) {
          log.accept("skipping photo " + ref + ": " + e);
        }
      }
      float[][] features =
          flipped
              ? cache.features(
                  towers.imageKey() + "-flip", bytes, IMAGE_BATCH, b -> compute(b, true))
              : cache.features(towers.imageKey(), bytes, IMAGE_BATCH, b -> compute(b, false));
      for (int i = 0; i < readable.size(); i++) {
        if (features[i] != null) {
          out.put(readable.get(i), features[i]);
        }
      }
    }
    return out;
  }

  /** Decodes and runs a batch; an undecodable photo gives a {@code null} row. */
  private float[][] compute(List<byte[]> encoded, boolean flip) {
    float[][] out = new float[encoded.size()][];
    List<float[]> pixels = new ArrayList<>();
    List<Integer> at = new ArrayList<>();
    for (int i = 0; i < encoded.size(); i++) {
      try {
        float[] px = towers.pixels(encoded.get(i));
        pixels.add(flip ? mirror(px, FrozenTowers.IMAGE_SPEC.size()) : px);
        at.add(i);
      } catch (RuntimeException e) {
        log.accept("skipping undecodable photo: " + e.getMessage());
      }
    }
    if (!pixels.isEmpty()) {
      float[][] f = towers.imageFeatures(pixels);
      for (int k = 0; k < f.length; k++) {
        out[at.get(k)] = f[k];
      }
    }
    return out;
  }

  /** A CHW image of {@code size × size} mirrored left-right (a new array). */
  static float[] mirror(float[] chw, int size) {
    float[] out = new float[chw.length];
    for (int row = 0; row < chw.length / size; row++) {
      int base = row * size;
      for (int x = 0; x < size; x++) {
        out[base + x] = chw[base + size - 1 - x];
      }
    }
    return out;
  }
}
