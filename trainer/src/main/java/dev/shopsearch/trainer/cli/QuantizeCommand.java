package dev.shopsearch.trainer.cli;

import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.tooling.onnx.BundleQuantizer;
import dev.shopsearch.tooling.onnx.OnnxWeightQuantizer;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code trainer quantize BUNDLE --out DIR}: an int8-weight copy of a bundle for CPU serving,
 * checked against the original ({@link BundleQuantizer}). Prints one JSON summary line.
 */
@Command(
    name = "quantize",
    mixinStandardHelpOptions = true,
    description =
        "Write an int8-weight copy of a bundle (dynamic quantisation of the large MatMuls) and"
            + " check its embeddings against the original.")
final class QuantizeCommand implements Callable<Integer> {

  @Parameters(index = "0", description = "source bundle directory")
  Path bundle;

  @Option(names = "--out", required = true, description = "new bundle directory (absent or empty)")
  Path out;

  @Option(
      names = "--towers",
      split = ",",
      defaultValue = "text,image",
      description = "towers to quantise: text, image or both (default: ${DEFAULT-VALUE})")
  List<String> towers;

  @Option(
      names = "--min-cosine",
      defaultValue = "0.99",
      description = "lowest cosine to the original embeddings accepted (default: ${DEFAULT-VALUE})")
  double minCosine;

  @Option(
      names = "--min-weights",
      defaultValue = "4096",
      description =
          "quantise only weights with at least this many elements (default: ${DEFAULT-VALUE})")
  long minWeights;

  @Option(
      names = "--probe-images",
      defaultValue = "16",
      description = "synthetic images compared (0 = text only) (default: ${DEFAULT-VALUE})")
  int probeImages;

  @Override
  public Integer call() {
    ModelBundle source = ModelBundle.load(bundle);
    Set<String> chosen = new LinkedHashSet<>();
    for (String t : towers) {
      chosen.add(t.trim().toLowerCase(Locale.ROOT));
    }
    BundleQuantizer.Result r =
        BundleQuantizer.quantize(
            source,
            out,
            new BundleQuantizer.Options(
                chosen, new OnnxWeightQuantizer.Options(minWeights), minCosine, probeImages, 42));
    StringBuilder json = new StringBuilder("{\"bundle\":\"").append(r.bundle().dir()).append('"');
    json.append(",\"contentHash\":\"").append(r.bundle().manifest().contentHash()).append('"');
    r.reports()
        .forEach(
            (tower, rep) -> {
              json.append(
                  String.format(
                      Locale.ROOT,
                      ",\"%s\":{\"quantizedMatMuls\":%d,\"skipped\":%d,\"bytesBefore\":%d,"
                          + "\"bytesAfter\":%d",
                      tower,
                      rep.quantized().size(),
                      rep.skipped().size(),
                      rep.bytesBefore(),
                      rep.bytesAfter()));
              BundleQuantizer.Fidelity f = r.fidelity().get(tower);
              if (f != null) {
                json.append(
                    String.format(
                        Locale.ROOT,
                        ",\"minCosine\":%.6f,\"meanCosine\":%.6f,\"probes\":%d",
                        f.minCosine(),
                        f.meanCosine(),
                        f.samples()));
              }
              json.append('}');
            });
    System.out.println(json.append('}'));
    return 0;
  }
}
