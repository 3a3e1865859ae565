package dev.shopsearch.tooling.demo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One generated product, as written to a line of {@code catalog.jsonl} by {@link #toJson()}.
 *
 * @param id unique id, {@code demo-00042}
 * @param combo category, colour and pattern
 * @param gender who it is sold to
 * @param name display name, e.g. {@code "Red Floral Dress"}
 * @param description a few sentences drawn from templates
 * @param categoryPath e.g. {@code "Women / Dresses"}
 * @param price price with two decimals
 * @param images image paths relative to the catalog file, e.g. {@code images/demo-00042-1.jpg}
 * @param heldOut whether the combo is held out of the training split
 */
public record DemoProduct(
    String id,
    AttributeCombo combo,
    DemoCategory.Gender gender,
    String name,
    String description,
    String categoryPath,
    double price,
    List<String> images,
    boolean heldOut) {

  /** Value of the {@code split} field for products the trainer may learn from. */
  public static final String SPLIT_TRAIN = "train";

  /** Value of the {@code split} field for products whose combination is held out. */
  public static final String SPLIT_HELDOUT = "heldout";

  public DemoProduct {
    images = List.copyOf(images);
  }

  /** {@link #SPLIT_TRAIN} or {@link #SPLIT_HELDOUT}. */
  public String split() {
    return heldOut ? SPLIT_HELDOUT : SPLIT_TRAIN;
  }

  /**
   * The JSONL object, keys in this order: {@code id, name, description, categories, color, pattern,
   * product_type, gender, price, images, caption_en, caption_zh, split}.
   */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", id);
    json.put("name", name);
    json.put("description", description);
    json.put("categories", List.of(categoryPath));
    json.put("color", combo.colour().english());
    json.put("pattern", combo.pattern().english());
    json.put("product_type", combo.category().english());
    json.put("gender", gender.value());
    json.put("price", price);
    json.put("images", images);
    json.put("caption_en", combo.captionEn());
    json.put("caption_zh", combo.captionZh());
    json.put("split", split());
    return json;
  }
}
