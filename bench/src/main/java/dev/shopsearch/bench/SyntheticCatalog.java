package dev.shopsearch.bench;

import dev.shopsearch.core.catalog.Product;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A deterministic synthetic storefront catalog of any size, with the field cardinalities of a real
 * one: a three-level category tree (6 departments, 171 leaf categories, Zipf-skewed), 24 colours
 * (skewed), log-normal prices in cents (some missing), stock (some unknown), 1,500 brands, and
 * low-cardinality attributes (material, pattern, fit, size list) that the service counts as facets.
 * Names combine a brand, an adjective, a material and the leaf category's product type, so BM25
 * queries match from a few hundred to a few hundred thousand products; one image URL each. Product
 * {@code i} depends only on the seed and {@code i} (any slice can be generated on its own thread).
 * Stateless.
 */
final class SyntheticCatalog {
  static final String[] DEPARTMENTS = {"Women", "Men", "Kids", "Home", "Beauty", "Sports"};

  /** Per department: categories, each with its leaf product types. */
  static final String[][][] TREE = {
    { // Women
      {"Dresses", "maxi dress", "midi dress", "mini dress", "shirt dress", "wrap dress"},
      {"Tops", "blouse", "t-shirt", "tank top", "tunic", "crop top", "camisole"},
      {"Knitwear", "cardigan", "jumper", "turtleneck", "knit vest"},
      {"Coats", "trench coat", "parka", "puffer jacket", "blazer", "wool coat"},
      {"Trousers", "jeans", "chinos", "leggings", "culottes", "wide-leg trousers"},
      {"Skirts", "pleated skirt", "pencil skirt", "denim skirt", "midi skirt"},
      {"Shoes", "sneakers", "ankle boots", "sandals", "ballet flats", "heels", "loafers"},
      {"Bags", "handbag", "tote bag", "backpack", "clutch", "crossbody bag"},
      {"Accessories", "scarf", "belt", "sunglasses", "hat", "gloves", "watch"}
    },
    { // Men
      {"Shirts", "oxford shirt", "flannel shirt", "linen shirt", "polo shirt", "dress shirt"},
      {"T-Shirts", "t-shirt", "henley", "long-sleeve tee", "graphic tee"},
      {"Knitwear", "jumper", "cardigan", "hoodie", "sweatshirt"},
      {"Jackets", "bomber jacket", "denim jacket", "parka", "blazer", "rain jacket"},
      {"Trousers", "jeans", "chinos", "joggers", "cargo trousers", "shorts"},
      {"Shoes", "sneakers", "boots", "loafers", "derby shoes", "sandals"},
      {"Accessories", "belt", "wallet", "cap", "tie", "watch", "sunglasses"}
    },
    { // Kids
      {"Girls", "dress", "leggings", "t-shirt", "cardigan", "skirt"},
      {"Boys", "t-shirt", "shorts", "jeans", "hoodie", "shirt"},
      {"Baby", "bodysuit", "romper", "sleepsuit", "bib", "blanket"},
      {"Shoes", "sneakers", "sandals", "wellies", "slippers"},
      {"Toys", "plush toy", "puzzle", "building blocks", "doll"}
    },
    { // Home
      {"Bedding", "duvet cover", "pillowcase", "fitted sheet", "throw", "quilt"},
      {"Bath", "bath towel", "bath mat", "robe", "hand towel"},
      {"Kitchen", "mug", "plate", "bowl", "tea towel", "apron", "jug"},
      {"Decor", "cushion", "vase", "candle", "frame", "rug", "lamp"},
      {"Storage", "basket", "box", "shelf", "hook"}
    },
    { // Beauty
      {"Skincare", "moisturiser", "cleanser", "serum", "face mask", "sunscreen"},
      {"Makeup", "lipstick", "mascara", "foundation", "eyeshadow palette", "blush"},
      {"Fragrance", "eau de parfum", "eau de toilette", "body mist"},
      {"Hair", "shampoo", "conditioner", "hair oil", "brush"}
    },
    { // Sports
      {"Running", "running shoes", "running shorts", "running jacket", "sports bra"},
      {"Yoga", "yoga mat", "yoga leggings", "yoga top", "yoga block"},
      {"Outdoor", "hiking boots", "fleece", "waterproof jacket", "backpack", "tent"},
      {"Swim", "swimsuit", "bikini", "swim shorts", "goggles"},
      {"Gym", "training top", "gym bag", "water bottle", "training shoes"}
    }
  };

  static final String[] COLOURS = {
    "black",
    "white",
    "navy",
    "grey",
    "blue",
    "beige",
    "red",
    "green",
    "pink",
    "brown",
    "cream",
    "khaki",
    "burgundy",
    "olive",
    "yellow",
    "purple",
    "orange",
    "teal",
    "silver",
    "gold",
    "coral",
    "lilac",
    "mint",
    "multi"
  };
  static final String[] MATERIALS = {
    "cotton",
    "organic cotton",
    "linen",
    "wool",
    "merino",
    "cashmere",
    "silk",
    "satin",
    "denim",
    "leather",
    "suede",
    "polyester",
    "recycled polyester",
    "viscose",
    "nylon",
    "bamboo",
    "jersey",
    "corduroy",
    "velvet",
    "canvas"
  };
  static final String[] PATTERNS = {
    "plain", "striped", "floral", "checked", "polka-dot", "animal print", "geometric", "tie-dye"
  };
  static final String[] FITS = {"regular", "slim", "relaxed", "oversized", "tailored"};
  static final String[] SIZES = {"XS", "S", "M", "L", "XL", "XXL"};
  static final String[] ADJECTIVES = {
    "classic",
    "essential",
    "everyday",
    "vintage",
    "modern",
    "soft",
    "lightweight",
    "warm",
    "cosy",
    "elegant",
    "casual",
    "premium",
    "quilted",
    "ribbed",
    "textured",
    "washed",
    "cropped",
    "long",
    "short",
    "padded",
    "breathable",
    "stretch",
    "waterproof",
    "handmade",
    "embroidered",
    "printed",
    "relaxed",
    "structured",
    "tiered",
    "belted",
    "fitted",
    "loose",
    "chunky",
    "fine",
    "brushed",
    "crinkled",
    "draped",
    "pleated",
    "boxy",
    "sleek"
  };
  private static final String[] SYLLABLES = {
    "ka", "lo", "mi", "ra", "ne", "to", "va", "si", "du", "fe", "ro", "la", "ze", "po", "qui",
    "bel", "mar", "sol", "ten", "vin", "ar", "el", "on", "is", "ux"
  };
  static final int BRANDS = 1500;

  private final long seed;
  private final String[] brands;
  private final String[][] leaves; // {department / category, type...} flattened per leaf
  private final double[] leafWeight; // cumulative Zipf weights of the leaves

  SyntheticCatalog(long seed) {
    this.seed = seed;
    Random r = new Random(seed);
    brands = new String[BRANDS];
    for (int b = 0; b < BRANDS; b++) {
      StringBuilder s = new StringBuilder();
      int n = 2 + r.nextInt(2);
      for (int i = 0; i < n; i++) {
        s.append(SYLLABLES[r.nextInt(SYLLABLES.length)]);
      }
      brands[b] = Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
    List<String[]> l = new ArrayList<>();
    for (int d = 0; d < TREE.length; d++) {
      for (String[] cat : TREE[d]) {
        for (int t = 1; t < cat.length; t++) {
          l.add(new String[] {DEPARTMENTS[d], cat[0], cat[t]});
        }
      }
    }
    leaves = l.toArray(new String[0][]);
    // a fixed shuffle of the leaves, then Zipf weights 1/(rank+1)^0.8
    for (int i = leaves.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      String[] tmp = leaves[i];
      leaves[i] = leaves[j];
      leaves[j] = tmp;
    }
    leafWeight = new double[leaves.length];
    double sum = 0;
    for (int i = 0; i < leaves.length; i++) {
      sum += 1 / Math.pow(i + 1, 0.8);
      leafWeight[i] = sum;
    }
    for (int i = 0; i < leaves.length; i++) {
      leafWeight[i] /= sum;
    }
  }

  /** How many leaf categories the tree has. */
  int leafCategories() {
    return leaves.length;
  }

  /** Product {@code i} (0-based; its catalog row is {@code i + 1}). */
  Product product(int i) {
    Random r = new Random(seed * 0x9E3779B97F4A7C15L + i);
    String[] leaf = leaves[pick(r.nextDouble())];
    String type = leaf[2];
    String colour = COLOURS[skewed(r, COLOURS.length, 1.1)];
    String material = MATERIALS[skewed(r, MATERIALS.length, 0.7)];
    String pattern = PATTERNS[skewed(r, PATTERNS.length, 1.3)];
    String brand = brands[skewed(r, BRANDS, 0.9)];
    String adjective = ADJECTIVES[r.nextInt(ADJECTIVES.length)];
    String name = brand + " " + adjective + " " + material + " " + type;
    String description =
        String.format(
            Locale.ROOT,
            "A %s %s %s in %s %s from %s. %s fit, %s.",
            adjective,
            pattern,
            type,
            colour,
            material,
            brand,
            FITS[r.nextInt(FITS.length)],
            ADJECTIVES[r.nextInt(ADJECTIVES.length)]);
    // log-normal around 30, whole units + .99 (many equal prices, as in shops); 2% without
    Double price =
        r.nextInt(50) == 0 ? null : Math.floor(Math.exp(3.4 + 0.8 * r.nextGaussian())) + 0.99;
    Boolean inStock = r.nextInt(20) == 0 ? null : r.nextInt(100) < 85;
    Map<String, List<String>> attrs = new TreeMap<>();
    attrs.put("material", List.of(material));
    attrs.put("pattern", List.of(pattern));
    attrs.put("fit", List.of(FITS[r.nextInt(FITS.length)]));
    attrs.put("brand", List.of(brand));
    int from = r.nextInt(3);
    attrs.put("size", List.of(SIZES).subList(from, from + 2 + r.nextInt(SIZES.length - from - 1)));
    return new Product(
        String.format(Locale.ROOT, "p%07d", i),
        name,
        description,
        List.of(leaf[0] + " / " + leaf[1] + " / " + leaf[2]),
        colour,
        price,
        inStock,
        List.of(String.format(Locale.ROOT, "https://img.example.invalid/p%07d.jpg", i)),
        attrs,
        i + 1L);
  }

  private int pick(double u) {
    int lo = 0;
    int hi = leafWeight.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (leafWeight[mid] < u) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** An index in [0, n) with Zipf-like skew {@code s} (0 = uniform). */
  private static int skewed(Random r, int n, double s) {
    double u = r.nextDouble();
    // inverse of a continuous power law over [1, n + 1)
    double x =
        s == 1.0
            ? Math.exp(u * Math.log(n + 1.0))
            : Math.pow(1 + u * (Math.pow(n + 1.0, 1 - s) - 1), 1 / (1 - s));
    return Math.min(n - 1, Math.max(0, (int) x - 1));
  }
}
