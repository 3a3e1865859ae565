package dev.shopsearch.tooling.demo;

import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Product descriptions from templates: an opening that names colour, pattern and type, a material
 * sentence, one or two features of the type, and a closing line. Pure function of its inputs.
 */
final class DemoDescriptions {
  /** Openers for one item; {a} is "a"/"an", {colour}, {type} and {pattern} are filled in. */
  private static final List<String> OPENERS =
      List.of(
          "{a} {colour} {type} with {pattern}.",
          "This {colour} {type} comes with {pattern}.",
          "Meet our {colour} {type}, finished with {pattern}.",
          "An everyday {colour} {type} featuring {pattern}.",
          "Our {colour} {type} brings {pattern} to any outfit.");

  /** Openers for plural types (trousers, shorts, sneakers, boots). */
  private static final List<String> PLURAL_OPENERS =
      List.of(
          "A pair of {colour} {type} with {pattern}.",
          "These {colour} {type} come with {pattern}.",
          "Meet our {colour} {type}, finished with {pattern}.",
          "Everyday {colour} {type} featuring {pattern}.",
          "Our {colour} {type} bring {pattern} to any outfit.");

  private static final List<String> OCCASIONS =
      List.of("weekends", "the office", "travel", "summer days", "city walks", "evenings out");
  private static final List<String> CLOSERS =
      List.of(
          "Perfect for %s.",
          "Made for %s and everything in between.",
          "A reliable pick for %s.",
          "Easy to style for %s.");

  private DemoDescriptions() {}

  static String describe(AttributeCombo combo, DemoCategory.Gender gender, RandomGenerator rng) {
    String colour = combo.colour().english();
    String type = combo.category().english();
    String opener = pick(combo.category().plural() ? PLURAL_OPENERS : OPENERS, rng);
    StringBuilder out =
        new StringBuilder(
            capitalise(
                opener
                    .replace("{a}", article(colour))
                    .replace("{colour}", colour)
                    .replace("{type}", type)
                    .replace("{pattern}", patternPhrase(combo))));
    out.append(' ')
        .append(
            String.format(
                Locale.ROOT,
                "Made from %s%s.",
                pick(materials(combo.category()), rng),
                genderPhrase(gender)));
    List<String> features = features(combo.category());
    int first = rng.nextInt(features.size());
    out.append(' ').append(features.get(first)).append('.');
    if (rng.nextBoolean()) {
      out.append(' ').append(features.get((first + 1) % features.size())).append('.');
    }
    out.append(' ').append(String.format(Locale.ROOT, pick(CLOSERS, rng), pick(OCCASIONS, rng)));
    return out.toString();
  }

  private static String patternPhrase(AttributeCombo combo) {
    return switch (combo.pattern()) {
      case SOLID -> "a clean solid colour";
      case STRIPED -> "classic stripes";
      case POLKA_DOT -> "a playful polka-dot print";
      case CHECKED -> "a checked gingham pattern";
      case FLORAL -> "a small floral print";
    };
  }

  private static String genderPhrase(DemoCategory.Gender gender) {
    return switch (gender) {
      case MEN -> ", cut for men";
      case WOMEN -> ", cut for women";
      case UNISEX -> ", for everyone";
    };
  }

  private static List<String> materials(DemoCategory category) {
    return switch (category) {
      case T_SHIRT, TOP -> List.of("soft cotton jersey", "organic cotton", "breathable linen");
      case DRESS, SKIRT -> List.of("flowing viscose", "light cotton poplin", "breathable linen");
      case TROUSERS, SHORTS -> List.of("stretch cotton twill", "washed denim", "light linen");
      case HOODIE -> List.of("brushed fleece", "heavyweight cotton", "recycled cotton blend");
      case SNEAKERS -> List.of("canvas", "breathable mesh", "smooth leather");
      case BOOTS -> List.of("full-grain leather", "suede", "waxed leather");
      case CAP -> List.of("cotton twill", "washed canvas", "recycled polyester");
      case HANDBAG -> List.of("faux leather", "coated canvas", "soft leather");
      case BACKPACK -> List.of("water-resistant nylon", "recycled polyester", "heavy canvas");
    };
  }

  private static List<String> features(DemoCategory category) {
    return switch (category) {
      case T_SHIRT ->
          List.of("Crew neck and short sleeves", "Relaxed fit", "Ribbed neckline that keeps shape");
      case TOP -> List.of("Sleeveless with a scoop neck", "Gently flared hem", "Lightweight feel");
      case DRESS ->
          List.of("Fitted bodice and flared skirt", "Midi length", "Thin shoulder straps");
      case SKIRT -> List.of("A-line silhouette", "Elastic waistband", "Soft pleats");
      case TROUSERS -> List.of("Straight leg", "Belt loops and zip fly", "Two side pockets");
      case SHORTS -> List.of("Above-the-knee length", "Comfortable waistband", "Side pockets");
      case HOODIE -> List.of("Drawstring hood", "Kangaroo pocket", "Ribbed cuffs and hem");
      case SNEAKERS -> List.of("Cushioned rubber sole", "Lace-up front", "Padded collar");
      case BOOTS -> List.of("Side zip", "Chunky heel", "Grippy rubber sole");
      case CAP -> List.of("Curved brim", "Adjustable strap", "Six-panel crown");
      case HANDBAG -> List.of("Top handle", "Magnetic clasp", "Inner zip pocket");
      case BACKPACK -> List.of("Padded shoulder straps", "Front zip pocket", "Laptop sleeve");
    };
  }

  private static String pick(List<String> options, RandomGenerator rng) {
    return options.get(rng.nextInt(options.size()));
  }

  private static String article(String word) {
    return "aeiou".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
  }

  private static String capitalise(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
