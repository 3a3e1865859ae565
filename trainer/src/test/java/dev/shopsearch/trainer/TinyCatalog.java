package dev.shopsearch.trainer;

import dev.shopsearch.core.catalog.Product;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A tiny synthetic catalog drawn by the test: colour × pattern × category products with two photos
 * each (shifted and scaled), plus a WordLevel {@code tokenizer.json} over its words.
 */
public final class TinyCatalog {

  public static final List<String> COLOURS =
      List.of("red", "green", "blue", "yellow", "purple", "black");
  public static final List<String> PATTERNS = List.of("solid", "striped", "dotted");
  public static final List<String> CATEGORIES = List.of("shirt", "bag");

  private static final Map<String, Color> RGB =
      Map.of(
          "red", new Color(220, 30, 30),
          "green", new Color(30, 180, 40),
          "blue", new Color(30, 50, 220),
          "yellow", new Color(240, 220, 20),
          "purple", new Color(140, 40, 170),
          "black", new Color(20, 20, 20));

  private TinyCatalog() {}

  /** Writes photos under {@code dir} and returns the products (image paths relative to dir). */
  public static List<Product> write(Path dir, long seed) throws IOException {
    Random rnd = new Random(seed);
    List<Product> out = new ArrayList<>();
    int row = 0;
    for (String c : COLOURS) {
      for (String p : PATTERNS) {
        for (String cat : CATEGORIES) {
          String id = c + "-" + p + "-" + cat;
          List<String> imgs = new ArrayList<>();
          for (int k = 0; k < 2; k++) {
            String name = id + "-" + k + ".png";
            ImageIO.write(draw(c, p, cat, rnd), "png", dir.resolve(name).toFile());
            imgs.add(name);
          }
          row++;
          out.add(
              new Product(
                  id,
                  c + " " + p + " " + cat,
                  "",
                  List.of("Shop / " + cat),
                  c,
                  10.0,
                  true,
                  imgs,
                  Map.of("pattern", List.of(p)),
                  row));
        }
      }
    }
    return out;
  }

  static BufferedImage draw(String colour, String pattern, String cat, Random rnd) {
    int s = 48;
    BufferedImage img = new BufferedImage(s, s, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, s, s);
    int size = 26 + rnd.nextInt(10);
    int x = rnd.nextInt(s - size);
    int y = rnd.nextInt(s - size);
    g.setColor(RGB.get(colour));
    if (cat.equals("shirt")) {
      g.fillRect(x, y, size, size);
    } else {
      g.fillOval(x, y, size, size);
    }
    g.setColor(Color.WHITE);
    if (pattern.equals("striped")) {
      for (int yy = y; yy < y + size; yy += 6) {
        g.fillRect(x, yy, size, 2);
      }
    } else if (pattern.equals("dotted")) {
      for (int yy = y + 3; yy < y + size - 2; yy += 7) {
        for (int xx = x + 3; xx < x + size - 2; xx += 7) {
          g.fillOval(xx, yy, 3, 3);
        }
      }
    }
    g.dispose();
    return img;
  }

  /**
   * A WordLevel tokenizer over the catalog's words: [PAD]=0, [UNK]=1, [MASK]=2, [BOS]=3, [EOS]=4.
   */
  public static Path tokenizer(Path dir) throws IOException {
    Map<String, Integer> vocab = new LinkedHashMap<>();
    for (String special : List.of("[PAD]", "[UNK]", "[MASK]", "[BOS]", "[EOS]")) {
      vocab.put(special, vocab.size());
    }
    for (List<String> words : List.of(COLOURS, PATTERNS, CATEGORIES)) {
      for (String w : words) {
        vocab.put(w, vocab.size());
      }
    }
    StringBuilder v = new StringBuilder();
    vocab.forEach(
        (k, id) -> v.append(v.isEmpty() ? "" : ",").append('"').append(k).append("\":").append(id));
    String json =
        """
        {"version":"1.0","truncation":null,"padding":null,
         "added_tokens":[
          {"id":0,"content":"[PAD]","single_word":false,"lstrip":false,"rstrip":false,"normalized":false,"special":true},
          {"id":1,"content":"[UNK]","single_word":false,"lstrip":false,"rstrip":false,"normalized":false,"special":true},
          {"id":2,"content":"[MASK]","single_word":false,"lstrip":false,"rstrip":false,"normalized":false,"special":true},
          {"id":3,"content":"[BOS]","single_word":false,"lstrip":false,"rstrip":false,"normalized":false,"special":true},
          {"id":4,"content":"[EOS]","single_word":false,"lstrip":false,"rstrip":false,"normalized":false,"special":true}],
         "normalizer":{"type":"Lowercase"},
         "pre_tokenizer":{"type":"Whitespace"},
         "post_processor":{"type":"TemplateProcessing",
           "single":[{"SpecialToken":{"id":"[BOS]","type_id":0}},{"Sequence":{"id":"A","type_id":0}},{"SpecialToken":{"id":"[EOS]","type_id":0}}],
           "pair":[{"Sequence":{"id":"A","type_id":0}},{"Sequence":{"id":"B","type_id":1}}],
           "special_tokens":{"[BOS]":{"id":"[BOS]","ids":[3],"tokens":["[BOS]"]},"[EOS]":{"id":"[EOS]","ids":[4],"tokens":["[EOS]"]}}},
         "decoder":null,
         "model":{"type":"WordLevel","vocab":{%s},"unk_token":"[UNK]"}}
        """
            .formatted(v);
    Path f = dir.resolve("tokenizer.json");
    Files.writeString(f, json, StandardCharsets.UTF_8);
    return f;
  }

  /** Vocabulary size of {@link #tokenizer}. */
  public static int vocabSize() {
    return 5 + COLOURS.size() + PATTERNS.size() + CATEGORIES.size();
  }
}
