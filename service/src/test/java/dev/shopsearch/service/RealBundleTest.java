package dev.shopsearch.service;

import dev.shopsearch.tooling.testing.TinyClipBundle;
import java.io.IOException;
import java.util.List;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link RealBundleContract} with a tiny random CLIP ({@link TinyClipBundle#create}). */
@org.junit.jupiter.api.Tag("slow")
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"management.server.port=0", "shopsearch.overload.deadline=30s"})
class RealBundleTest extends RealBundleContract {

  @DynamicPropertySource
  static void setUp(DynamicPropertyRegistry registry) throws IOException {
    publish(registry, dir -> TinyClipBundle.create(dir, 42));
  }

  @Override
  String modelName() {
    return "tiny-clip";
  }

  @Override
  List<String> queries() {
    return List.of("red leather handbag", "blue denim jacket", "green summer dress");
  }
}
