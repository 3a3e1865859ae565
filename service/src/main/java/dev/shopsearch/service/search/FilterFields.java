package dev.shopsearch.service.search;

import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.search.ProductIndexView;
import dev.shopsearch.service.problem.UnknownParameterException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.IndexReader;

/**
 * Checks that every attribute a search filters on is a field of the searched index: {@code
 * attr=colr:red} would otherwise match nothing and look like an empty result.
 */
final class FilterFields {
  private FilterFields() {}

  /**
   * @throws UnknownParameterException naming the first attribute that no document of the index has
   *     and listing the attributes it has
   */
  static void check(ProductIndexView view, SearchFilters filters) throws IOException {
    if (filters.attributes().isEmpty()) {
      return;
    }
    List<String> known = view.attributes();
    for (String name : filters.attributes().keySet()) {
      if (!known.contains(name)) {
        throw new UnknownParameterException(
            "attr",
            String.format(
                Locale.ROOT,
                "unknown attribute '%s': no product of this index has it; attributes: %s",
                name,
                known.isEmpty() ? "none" : String.join(", ", known)),
            known);
      }
    }
  }

  /** The attribute names of the index, sorted. */
  static List<String> attributes(IndexReader reader) {
    List<String> out = new ArrayList<>();
    for (FieldInfo f : FieldInfos.getMergedFieldInfos(reader)) {
      if (f.name.startsWith(IndexSchema.ATTR_PREFIX)) {
        out.add(f.name.substring(IndexSchema.ATTR_PREFIX.length()));
      }
    }
    out.sort(null);
    return out;
  }
}
