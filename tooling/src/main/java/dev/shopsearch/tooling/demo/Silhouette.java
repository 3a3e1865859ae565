package dev.shopsearch.tooling.demo;

import java.awt.Shape;
import java.util.List;

/**
 * The outline of one product type in a 100 × 100 unit box (y down), as drawn by {@link
 * ProductImageRenderer}.
 *
 * @param body the fabric region: filled with the product colour and its pattern (clipped to it)
 * @param trim a region drawn over the body in a {@link TrimRole} colour, never patterned (a sole, a
 *     handle), or null
 * @param trimRole how the trim is coloured; ignored when {@code trim} is null
 * @param details lines stroked over the finished product in a darker shade (seams, pockets, laces)
 */
public record Silhouette(Shape body, Shape trim, TrimRole trimRole, List<Shape> details) {

  /** How a silhouette's trim is coloured. */
  public enum TrimRole {
    /** A rubber sole: off-white, or charcoal on very light products (sneakers). */
    LIGHT_SOLE,
    /** A leather sole and heel: dark brown-black, or mid grey on black products (boots). */
    DARK_SOLE,
    /** A darker shade of the body colour (handles, straps). */
    DARK_SHADE
  }

  public Silhouette {
    if (body == null) {
      throw new IllegalArgumentException("silhouette body must not be null");
    }
    details = details == null ? List.of() : List.copyOf(details);
  }
}
