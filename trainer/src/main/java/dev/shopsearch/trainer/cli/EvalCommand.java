package dev.shopsearch.trainer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.core.encode.EncoderOptions;
import dev.shopsearch.core.encode.ExecutionProvider;
import dev.shopsearch.trainer.FineTune;
import dev.shopsearch.trainer.data.CaptionTemplates;
import dev.shopsearch.trainer.data.Example;
import dev.shopsearch.trainer.data.ExampleSet;
import dev.shopsearch.trainer.eval.RetrievalEval;
import dev.shopsearch.trainer.train.Recall;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code trainer eval}: bundle + catalog → retrieval report through the ONNX encoders. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = "Measure a bundle's caption<->photo recall on a catalog (ONNX encoders).")
final class EvalCommand implements Callable<Integer> {

  @Option(names = "--bundle", required = true, description = "model bundle directory")
  Path bundle;

  @Mixin CatalogOptions catalog = new CatalogOptions();

  /** The query captions: the first template's caption of each photo. */
  @Mixin TemplateOptions template = TemplateOptions.defaults(List.of("{name}"));

  @Option(names = "--group-by", description = "attribute grouping photos into looks")
  String groupBy;

  @Option(
      names = "--val-fraction",
      description =
          "evaluate only this held-out fraction (same split as fine-tune with --seed); 0 = all")
  double valFraction;

  @Option(names = "--seed", description = "split seed (default ${DEFAULT-VALUE})")
  long seed = 42;

  @Option(names = "--max", description = "at most this many photos (default ${DEFAULT-VALUE})")
  int max = 2000;

  @Option(names = "--cuda", description = "run ONNX Runtime on CUDA")
  boolean cuda;

  @Option(names = "--report", description = "write the report as JSON here")
  Path report;

  @Option(
      names = "--query",
      description = "instead of recall: print the top --top photos for this text query")
  String query;

  @Option(names = "--top", description = "hits to print with --query (default ${DEFAULT-VALUE})")
  int top = 5;

  @Override
  public Integer call() throws Exception {
    CaptionTemplates t = new CaptionTemplates(template.templates().subList(0, 1));
    ModelBundle b = ModelBundle.load(bundle);
    Map<String, Integer> rejects = new LinkedHashMap<>();
    List<Product> products =
        FineTune.readCatalog(catalog.catalog(), catalog.mapping(), rejects, CliSupport.LOG);
    Path dir = catalog.catalog().toAbsolutePath().getParent();
    ExampleSet set =
        valFraction > 0
            ? ExampleSet.build(products, dir, t, groupBy, valFraction, seed)
            : ExampleSet.build(products, dir, t, groupBy, (p, g) -> true);
    List<Example> ex = new ArrayList<>(set.validation());
    if (ex.size() > max) {
      Collections.shuffle(ex, new Random(seed));
      ex = ex.subList(0, max);
    }
    EncoderOptions opts =
        cuda ? new EncoderOptions(ExecutionProvider.CUDA, 0, true, 0) : EncoderOptions.cpu();
    if (query != null) {
      for (RetrievalEval.Hit h : RetrievalEval.search(b, ex, query, top, opts)) {
        System.out.printf(
            java.util.Locale.ROOT,
            "%.4f  %s  %s%n",
            h.score(),
            h.example().productId(),
            h.example().captions().get(0));
      }
      return 0;
    }
    Recall r = RetrievalEval.run(b, ex, opts);
    System.out.println(b.manifest().name() + " on " + catalog.catalog() + ": " + r);
    if (report != null) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("bundle", b.dir().toString());
      m.put("catalog", catalog.catalog().toString());
      m.put("template", t.templates().get(0));
      m.put("skipped", rejects);
      m.put("recall", r);
      Files.writeString(
          report,
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
    }
    return 0;
  }
}
