package dev.shopsearch.core.search;

/**
 * The sort inputs of a list of products, position by position.
 *
 * @param ids product ids (the total-order tie-break)
 * @param values the value of the requested {@link SortField} (0 where missing or {@code NONE})
 * @param missing whether the product has no value
 */
public record SortValues(String[] ids, double[] values, boolean[] missing) {
  public SortValues {
    if (ids.length != values.length || ids.length != missing.length) {
      throw new IllegalArgumentException(
          "sort values: "
              + ids.length
              + " ids, "
              + values.length
              + " values, "
              + missing.length
              + " missing flags");
    }
  }
}
