package dev.shopsearch.tooling.demo;

import java.util.List;
import java.util.Locale;

/**
 * The product types of the synthetic demo catalog: English and Chinese words, the genders a product
 * of the type may be sold to, its category path and its price range. The silhouette drawn for each
 * type lives in {@link Silhouettes}.
 */
public enum DemoCategory {
  T_SHIRT("t-shirt", "T-Shirt", "T恤", "Tops / T-Shirts", 12, 35, Gender.MEN, Gender.WOMEN),
  TOP("top", "Top", "上衣", "Tops / Blouses & Tanks", 15, 45, Gender.WOMEN),
  DRESS("dress", "Dress", "连衣裙", "Dresses", 30, 120, Gender.WOMEN),
  SKIRT("skirt", "Skirt", "半身裙", "Bottoms / Skirts", 20, 70, Gender.WOMEN),
  TROUSERS("trousers", "Trousers", "长裤", "Bottoms / Trousers", 30, 90, Gender.MEN, Gender.WOMEN),
  SHORTS("shorts", "Shorts", "短裤", "Bottoms / Shorts", 15, 45, Gender.MEN, Gender.WOMEN),
  HOODIE("hoodie", "Hoodie", "卫衣", "Tops / Hoodies", 35, 85, Gender.MEN, Gender.WOMEN),
  SNEAKERS("sneakers", "Sneakers", "运动鞋", "Shoes / Sneakers", 45, 140, Gender.MEN, Gender.WOMEN),
  BOOTS("boots", "Boots", "靴子", "Shoes / Boots", 60, 180, Gender.MEN, Gender.WOMEN),
  CAP("cap", "Cap", "棒球帽", "Accessories / Caps", 10, 30, Gender.UNISEX),
  HANDBAG("handbag", "Handbag", "手提包", "Bags / Handbags", 35, 200, Gender.WOMEN),
  BACKPACK("backpack", "Backpack", "双肩包", "Bags / Backpacks", 30, 110, Gender.UNISEX);

  /** Who a product is sold to; also the first level of its category path. */
  public enum Gender {
    MEN("men", "Men"),
    WOMEN("women", "Women"),
    UNISEX("unisex", "Accessories");

    private final String value;
    private final String pathRoot;

    Gender(String value, String pathRoot) {
      this.value = value;
      this.pathRoot = pathRoot;
    }

    /** The catalog's {@code gender} value: {@code men}, {@code women} or {@code unisex}. */
    public String value() {
      return value;
    }
  }

  private final String english;
  private final String title;
  private final String chinese;
  private final String pathTail;
  private final int minPrice;
  private final int maxPrice;
  private final List<Gender> genders;

  DemoCategory(
      String english,
      String title,
      String chinese,
      String pathTail,
      int minPrice,
      int maxPrice,
      Gender... genders) {
    this.english = english;
    this.title = title;
    this.chinese = chinese;
    this.pathTail = pathTail;
    this.minPrice = minPrice;
    this.maxPrice = maxPrice;
    this.genders = List.of(genders);
  }

  /** Lower-case English word as used in captions, e.g. {@code "t-shirt"}. */
  public String english() {
    return english;
  }

  /** Whether the English word is plural ("trousers", "boots"): descriptions say "a pair of". */
  public boolean plural() {
    return this == TROUSERS || this == SHORTS || this == SNEAKERS || this == BOOTS;
  }

  /** Title-case English word as used in product names, e.g. {@code "T-Shirt"}. */
  public String title() {
    return title;
  }

  /** Chinese word, e.g. {@code "连衣裙"}. */
  public String chinese() {
    return chinese;
  }

  /** The genders a product of this type may have (one or two). */
  public List<Gender> genders() {
    return genders;
  }

  /** Lowest price (inclusive) in whole currency units. */
  public int minPrice() {
    return minPrice;
  }

  /** Highest price (exclusive) in whole currency units. */
  public int maxPrice() {
    return maxPrice;
  }

  /**
   * Category path for a product of this type sold to {@code gender}, e.g. {@code "Women /
   * Dresses"}, {@code "Men / Shoes / Sneakers"}, {@code "Accessories / Bags / Backpacks"}.
   */
  public String path(Gender gender) {
    if (!genders.contains(gender)) {
      throw new IllegalArgumentException(
          "category " + english + " is not sold to " + gender.value() + "; allowed " + genders);
    }
    return gender.pathRoot + " / " + pathTail;
  }

  /** Parses the English word (case-insensitive), naming the accepted values when it is unknown. */
  public static DemoCategory fromEnglish(String word) {
    for (DemoCategory c : values()) {
      if (c.english.equals(word.toLowerCase(Locale.ROOT))) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "unknown demo category '"
            + word
            + "'; expected one of "
            + java.util.Arrays.toString(values()));
  }
}
