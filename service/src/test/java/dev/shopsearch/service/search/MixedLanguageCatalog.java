package dev.shopsearch.service.search;

import dev.shopsearch.core.catalog.Product;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A seeded catalog of English, Chinese, mixed-script and accented product texts of varied lengths
 * (so BM25 statistics — document frequencies, field lengths — differ from product to product), for
 * comparing lexical ranking across backends.
 */
final class MixedLanguageCatalog {
  static final long SEED = 11;

  static final List<String> ENGLISH_QUERIES =
      List.of("red dress", "floral summer dress", "striped cotton shirt", "jacket", "blue linen");

  static final List<String> CHINESE_QUERIES =
      List.of("红色碎花连衣裙", "夏季碎花连衣裙", "条纹衬衫", "连衣裙", "碎花", "summer 连衣裙");

  private static final String[][] EN = {
    {"red", "blue", "white", "black", "green"},
    {"floral", "striped", "plain", "checked"},
    {"summer", "winter", "spring", "autumn"},
    {"dress", "shirt", "jacket", "sneakers"},
    {"cotton", "linen", "wool", "silk", "denim", "leather"}
  };
  private static final String[][] ZH = {
    {"红色", "蓝色", "白色", "黑色", "绿色"},
    {"碎花", "条纹", "纯色", "格子"},
    {"夏季", "冬季", "春季", "秋季"},
    {"连衣裙", "衬衫", "外套", "运动鞋"},
    {"棉", "亚麻", "羊毛", "真丝", "牛仔", "皮革"}
  };
  private static final String[] CATEGORIES = {
    "Women / Dresses", "Men / Shirts", "Men / Jackets", "Women / Shoes / Sneakers"
  };
  private static final String[] ACCENTED = {
    "Robe à fleurs d'été", "Chemise rayée", "Veste crème brûlée", "Baskets légères"
  };

  private MixedLanguageCatalog() {}

  /** 64 products: a quarter each English, Chinese, mixed and accented/full-width titles. */
  static List<Product> catalog() {
    Random r = new Random(SEED);
    List<Product> out = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      int colour = r.nextInt(5);
      int pattern = r.nextInt(4);
      int season = r.nextInt(4);
      int type = r.nextInt(4);
      int fabric = r.nextInt(6);
      String en = String.join(" ", EN[0][colour], EN[1][pattern], EN[2][season], EN[3][type]);
      String zh = ZH[0][colour] + ZH[1][pattern] + ZH[2][season] + ZH[3][type];
      String name =
          switch (i % 4) {
            case 0 -> en;
            case 1 ->
                (r.nextBoolean() ? ZH[2][season] : "")
                    + ZH[0][colour]
                    + ZH[1][pattern]
                    + ZH[3][type];
            case 2 -> EN[2][season] + " " + ZH[1][pattern] + ZH[3][type] + " " + EN[3][type];
            default ->
                ACCENTED[type]
                    + (r.nextBoolean() ? " ＲＥＤ" : " " + EN[0][colour].toUpperCase(Locale.ROOT));
          };
      StringBuilder description = new StringBuilder();
      int words = 1 + r.nextInt(12);
      for (int w = 0; w < words; w++) {
        boolean chinese = i % 4 == 1 || (i % 4 == 2 && r.nextBoolean());
        String[][] vocabulary = chinese ? ZH : EN;
        String[] slot = vocabulary[r.nextInt(vocabulary.length)];
        description.append(slot[r.nextInt(slot.length)]).append(chinese ? "" : " ");
      }
      description.append(i % 2 == 0 ? EN[4][fabric] : ZH[4][fabric]);
      out.add(
          new Product(
              String.format(Locale.ROOT, "m%02d", i),
              name,
              description.toString().strip(),
              List.of(CATEGORIES[type]),
              EN[0][colour],
              10.0 + i,
              true,
              List.of("images/m" + i + "-0.jpg"),
              Map.of("pattern", List.of(i % 2 == 0 ? EN[1][pattern] : ZH[1][pattern])),
              i + 1));
    }
    return out;
  }
}
