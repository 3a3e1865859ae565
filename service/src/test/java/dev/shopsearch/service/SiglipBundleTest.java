package dev.shopsearch.service;

import dev.shopsearch.tooling.testing.TinyClipBundle;
import java.io.IOException;
import java.util.List;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link RealBundleContract} with a tiny random SigLIP ({@link TinyClipBundle#createSiglip}:
 * attention-pooling image tower, text padded to its context and pooled at the last position,
 * SentencePiece Unigram tokenizer, resize without crop and mean/std 0.5; issue 15): the service and
 * the index serve it unchanged.
 */
@org.junit.jupiter.api.Tag("slow")
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"management.server.port=0", "shopsearch.overload.deadline=30s"})
class SiglipBundleTest extends RealBundleContract {

  @DynamicPropertySource
  static void setUp(DynamicPropertyRegistry registry) throws IOException {
    publish(registry, dir -> TinyClipBundle.createSiglip(dir, 42));
  }

  @Override
  String modelName() {
    return "tiny-siglip";
  }

  @Override
  List<String> queries() {
    return List.of("red dress", "Blue Denim Jacket", "红色连衣裙", "black sneakers!");
  }
}
