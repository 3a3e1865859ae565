package dev.shopsearch.trainer.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.shopsearch.trainer.train.EpochStats;
import dev.shopsearch.trainer.train.Recall;
import dev.shopsearch.trainer.train.TrainState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The files a training run leaves next to its bundle: {@value #METRICS} (configuration, recall
 * before/after, per-epoch history, anything else passed in), {@value #LOSS_PNG} and {@value
 * #RECALL_PNG} (Java2D line charts), and a small self-contained {@value #HTML}.
 */
public final class RunReport {

  public static final String METRICS = "metrics.json";
  public static final String LOSS_PNG = "loss.png";
  public static final String RECALL_PNG = "val-recall.png";
  public static final String HTML = "report.html";

  private RunReport() {}

  /** The metrics as a JSON-ready map. */
  public static Map<String, Object> metrics(
      TrainState state, Recall after, Map<String, Object> extra) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("before", state.before());
    m.put("after", after);
    m.put("bestEpoch", state.bestEpoch());
    m.put("completedEpochs", state.completedEpochs());
    m.put("steps", state.step());
    m.put("epochs", state.history());
    m.putAll(extra);
    return m;
  }

  /** Writes metrics.json, both charts and report.html into {@code dir}. */
  public static void write(Path dir, TrainState state, Recall after, Map<String, Object> extra)
      throws IOException {
    Files.createDirectories(dir);
    Map<String, Object> metrics = metrics(state, after, extra);
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Files.writeString(
        dir.resolve(METRICS), json.writeValueAsString(metrics), StandardCharsets.UTF_8);

    List<double[]> loss = new ArrayList<>();
    for (EpochStats e : state.history()) {
      loss.add(new double[] {e.epoch(), e.trainLoss()});
    }
    new LineChart("training loss per epoch", "epoch")
        .add("loss", loss)
        .write(dir.resolve(LOSS_PNG), 640, 360);

    LineChart recall = new LineChart("validation recall per epoch (0 = before)", "epoch");
    String[] names = {"i2t R@1", "i2t R@5", "i2t R@10", "t2i R@1", "t2i R@5", "t2i R@10"};
    for (int k = 0; k < names.length; k++) {
      List<double[]> pts = new ArrayList<>();
      pts.add(new double[] {0, pick(state.before(), k)});
      for (EpochStats e : state.history()) {
        pts.add(new double[] {e.epoch(), pick(e.validation(), k)});
      }
      recall.add(names[k], pts);
    }
    recall.write(dir.resolve(RECALL_PNG), 640, 360);

    StringBuilder h = new StringBuilder();
    h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>training report</title>")
        .append(
            "<style>body{font-family:sans-serif;margin:2em}td,th{padding:2px 8px;text-align:right}")
        .append(
            "table{border-collapse:collapse}tr:nth-child(even){background:#f4f4f4}</style></head><body>")
        .append("<h1>Training report</h1>");
    h.append("<p>Best epoch ")
        .append(state.bestEpoch())
        .append(" of ")
        .append(state.completedEpochs());
    h.append(", ").append(state.step()).append(" steps.</p>");
    h.append("<table><tr><th></th><th>i2t R@1</th><th>i2t R@5</th><th>i2t R@10</th>")
        .append("<th>t2i R@1</th><th>t2i R@5</th><th>t2i R@10</th><th>n</th></tr>");
    row(h, "before", state.before());
    for (EpochStats e : state.history()) {
      row(h, "epoch " + e.epoch(), e.validation());
    }
    if (after != null) {
      row(h, "final", after);
    }
    h.append("</table><p><img src=\"")
        .append(LOSS_PNG)
        .append("\"> <img src=\"")
        .append(RECALL_PNG)
        .append("\"></p>");
    h.append(
        "<h2>Epochs</h2><table><tr><th>epoch</th><th>loss</th><th>lr</th><th>samples/s</th><th>s</th></tr>");
    for (EpochStats e : state.history()) {
      h.append(
          String.format(
              Locale.ROOT,
              "<tr><td>%d</td><td>%.4f</td><td>%.2e</td><td>%.1f</td><td>%.1f</td></tr>",
              e.epoch(),
              e.trainLoss(),
              e.lastLr(),
              e.samplesPerSecond(),
              e.seconds()));
    }
    h.append("</table><h2>Details</h2><pre>")
        .append(escape(json.writeValueAsString(extra)))
        .append("</pre></body></html>\n");
    Files.writeString(dir.resolve(HTML), h, StandardCharsets.UTF_8);
  }

  private static double pick(Recall r, int k) {
    if (r == null) {
      return Double.NaN;
    }
    return switch (k) {
      case 0 -> r.i2t1();
      case 1 -> r.i2t5();
      case 2 -> r.i2t10();
      case 3 -> r.t2i1();
      case 4 -> r.t2i5();
      default -> r.t2i10();
    };
  }

  private static void row(StringBuilder h, String label, Recall r) {
    if (r == null) {
      return;
    }
    h.append(
        String.format(
            Locale.ROOT,
            "<tr><th>%s</th><td>%.3f</td><td>%.3f</td><td>%.3f</td><td>%.3f</td><td>%.3f</td><td>%.3f</td><td>%d</td></tr>",
            escape(label),
            r.i2t1(),
            r.i2t5(),
            r.i2t10(),
            r.t2i1(),
            r.t2i5(),
            r.t2i10(),
            r.n()));
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
