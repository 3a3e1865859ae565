package dev.shopsearch.indexer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopsearch.core.index.IndexGenerations;
import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.index.OpenIndex;
import dev.shopsearch.indexer.testing.TestImages;
import dev.shopsearch.tooling.testing.TinyClipBundle;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappingFlagsTest {
  @TempDir Path tmp;

  @Test
  void fieldFlagsOverrideThePreset() throws Exception {
    Path cat = tmp.resolve("cat");
    Files.createDirectories(cat);
    Files.write(cat.resolve("a.jpg"), TestImages.jpeg(new Random(1), 40, 40));
    Files.writeString(
        cat.resolve("shop.jsonl"),
        "{\"sku\":\"S-1\",\"title\":\"blue shirt\",\"pics\":[\"a.jpg\"],\"cost\":3.5,"
            + "\"material\":\"cotton\"}\n");
    Path bundle = TinyClipBundle.create(tmp.resolve("bundle"), 1).dir();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = IndexerCli.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit =
        cl.execute(
            "build",
            "--index",
            tmp.resolve("index").toString(),
            "--catalog",
            cat.resolve("shop.jsonl").toString(),
            "--bundle",
            bundle.toString(),
            "--progress",
            "none",
            "--mapping",
            "magento-luma",
            "--field",
            "id=sku",
            "--field",
            "name=title",
            "--field",
            "images=pics",
            "--field",
            "price=cost",
            "--field",
            "attributes=material");
    assertThat(exit).as(err.toString()).isZero();
    assertThat(new ObjectMapper().readTree(out.toString()).get("productsIndexed").asLong())
        .isEqualTo(1);
    try (OpenIndex open = new IndexGenerations(tmp.resolve("index")).openCurrent()) {
      IndexSearcher s = new IndexSearcher(open.reader());
      assertThat(s.count(new TermQuery(new Term(IndexSchema.PRODUCT_ID, "S-1")))).isEqualTo(2);
      assertThat(s.count(new TermQuery(new Term("attr.material", "cotton")))).isEqualTo(2);
    }

    StringWriter err2 = new StringWriter();
    var cl2 = IndexerCli.commandLine();
    cl2.setOut(new PrintWriter(new StringWriter()));
    cl2.setErr(new PrintWriter(err2));
    int bad =
        cl2.execute(
            "build",
            "--index",
            tmp.resolve("index2").toString(),
            "--catalog",
            cat.resolve("shop.jsonl").toString(),
            "--bundle",
            bundle.toString(),
            "--field",
            "colr=x");
    assertThat(bad).isEqualTo(IndexerCli.EXIT_FAILURE);
    assertThat(err2.toString()).contains("--field colr: unknown mapping key");
  }
}
