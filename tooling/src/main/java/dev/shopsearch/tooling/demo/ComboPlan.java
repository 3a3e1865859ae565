package dev.shopsearch.tooling.demo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Decides which attribute combination each generated product gets, and which combinations are held
 * out of training.
 *
 * <h2>Sequence</h2>
 *
 * The {@value AttributeCombo#COUNT} combinations are enumerated by {@code j} as category {@code j
 * mod 12}, pattern {@code j mod 5}, colour {@code (j + j / 60) mod 12} (a bijection, because 12 and
 * 5 are coprime), then relabelled by seeded permutations of the three enums. Every aligned block of
 * 12 consecutive {@code j} holds all 12 categories, all 12 colours and all 5 patterns, so products
 * are dealt block by block, blocks in a fresh random order per cycle and combinations shuffled
 * inside each block: any 12 consecutive products (from the start) cover every value, and every
 * {@value AttributeCombo#COUNT} products cover every combination once.
 *
 * <h2>Held-out combinations</h2>
 *
 * A seeded random {@code fraction} of the combinations is marked held out, never {@link #SHOWCASE},
 * and never so many that a pair (category × colour, category × pattern, colour × pattern) keeps
 * fewer than {@value #MIN_TRAIN_PER_PAIR} training combinations: each held-out combination is new
 * only as a whole, so it measures composition, not unseen words.
 */
final class ComboPlan {
  /** The README's demo query ("red floral dress" / "红色碎花连衣裙") always stays in training. */
  static final AttributeCombo SHOWCASE =
      new AttributeCombo(DemoCategory.DRESS, DemoColour.RED, DemoPattern.FLORAL);

  static final int MIN_TRAIN_PER_PAIR = 2;

  private static final DemoCategory[] CATEGORIES = DemoCategory.values();
  private static final DemoColour[] COLOURS = DemoColour.values();
  private static final DemoPattern[] PATTERNS = DemoPattern.values();
  static final int BLOCK = CATEGORIES.length;

  static {
    if (COLOURS.length != CATEGORIES.length
        || PATTERNS.length > CATEGORIES.length
        || gcd(CATEGORIES.length, PATTERNS.length) != 1) {
      throw new IllegalStateException(
          "ComboPlan needs as many colours as categories and a pattern count coprime to it; got "
              + CATEGORIES.length
              + " categories, "
              + COLOURS.length
              + " colours, "
              + PATTERNS.length
              + " patterns");
    }
  }

  private final Random rng;
  private final int[] categoryLabel;
  private final int[] colourLabel;
  private final int[] patternLabel;
  private final Set<AttributeCombo> heldOut;

  ComboPlan(long seed, double heldOutFraction) {
    this.rng = new Random(seed);
    this.categoryLabel = permutation(CATEGORIES.length);
    this.colourLabel = permutation(COLOURS.length);
    this.patternLabel = permutation(PATTERNS.length);
    this.heldOut = chooseHeldOut(heldOutFraction);
  }

  /** The held-out combinations, ordered by {@link AttributeCombo#key()}. */
  Set<AttributeCombo> heldOut() {
    return heldOut;
  }

  /** The combinations of products {@code 0 .. n-1}; consumes this plan's random state. */
  List<AttributeCombo> sequence(int n) {
    List<AttributeCombo> out = new ArrayList<>(n);
    int blocks = AttributeCombo.COUNT / BLOCK;
    while (out.size() < n) {
      List<Integer> order = shuffled(blocks);
      for (int b : order) {
        for (int pos : shuffled(BLOCK)) {
          if (out.size() == n) {
            return out;
          }
          out.add(combo(b * BLOCK + pos));
        }
      }
    }
    return out;
  }

  /** Combination number {@code j} of the enumeration, relabelled. */
  AttributeCombo combo(int j) {
    int stride = CATEGORIES.length * PATTERNS.length;
    int category = j % CATEGORIES.length;
    int pattern = j % PATTERNS.length;
    int colour = (j + j / stride) % COLOURS.length;
    return new AttributeCombo(
        CATEGORIES[categoryLabel[category]],
        COLOURS[colourLabel[colour]],
        PATTERNS[patternLabel[pattern]]);
  }

  private Set<AttributeCombo> chooseHeldOut(double fraction) {
    List<AttributeCombo> all = new ArrayList<>(AttributeCombo.COUNT);
    for (int j = 0; j < AttributeCombo.COUNT; j++) {
      all.add(combo(j));
    }
    all.sort(Comparator.comparing(AttributeCombo::key));
    Collections.shuffle(all, rng);
    Map<String, Integer> trainPerPair = new HashMap<>();
    for (AttributeCombo c : all) {
      for (String pair : pairs(c)) {
        trainPerPair.merge(pair, 1, Integer::sum);
      }
    }
    int target = (int) Math.round(AttributeCombo.COUNT * fraction);
    List<AttributeCombo> chosen = new ArrayList<>(target);
    for (AttributeCombo c : all) {
      if (chosen.size() == target) {
        break;
      }
      List<String> pairs = pairs(c);
      boolean keepsPairs = pairs.stream().allMatch(p -> trainPerPair.get(p) > MIN_TRAIN_PER_PAIR);
      if (!c.equals(SHOWCASE) && keepsPairs) {
        chosen.add(c);
        pairs.forEach(p -> trainPerPair.merge(p, -1, Integer::sum));
      }
    }
    chosen.sort(Comparator.comparing(AttributeCombo::key));
    return Collections.unmodifiableSet(new LinkedHashSet<>(chosen));
  }

  static List<String> pairs(AttributeCombo c) {
    return List.of(
        "category×colour " + c.category() + "/" + c.colour(),
        "category×pattern " + c.category() + "/" + c.pattern(),
        "colour×pattern " + c.colour() + "/" + c.pattern());
  }

  private int[] permutation(int n) {
    return shuffled(n).stream().mapToInt(Integer::intValue).toArray();
  }

  private List<Integer> shuffled(int n) {
    List<Integer> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(i);
    }
    Collections.shuffle(list, rng);
    return list;
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }
}
