package dev.shopsearch.service;

import dev.shopsearch.tooling.testing.TinyClipBundle;
import java.io.IOException;
import java.util.List;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link RealBundleContract} with a tiny random Chinese-CLIP ({@link
 * TinyClipBundle#createChineseClip}: BERT text tower, WordPiece tokenizer; issue 15): the service
 * and the index serve it unchanged.
 */
@org.junit.jupiter.api.Tag("slow")
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"management.server.port=0", "shopsearch.overload.deadline=30s"})
class ChineseClipBundleTest extends RealBundleContract {

  @DynamicPropertySource
  static void setUp(DynamicPropertyRegistry registry) throws IOException {
    publish(registry, dir -> TinyClipBundle.createChineseClip(dir, 42));
  }

  @Override
  String modelName() {
    return "tiny-chinese-clip";
  }

  @Override
  List<String> queries() {
    return List.of("红色连衣裙", "蓝色 denim 夹克", "Black Sneakers 运动鞋");
  }
}
