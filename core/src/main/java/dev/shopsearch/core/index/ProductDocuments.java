package dev.shopsearch.core.index;

import dev.shopsearch.core.bundle.Similarity;
import dev.shopsearch.core.catalog.Product;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoubleDocValuesField;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.util.BytesRef;

/**
 * Builds the Lucene document block of one product exactly as {@link IndexSchema} describes: one
 * child per image (vector + filter fields), the parent last. Also holds the keyword normalisation
 * that the service must apply to filter values. Text fields must be analysed with {@link
 * LexicalAnalysis#indexing()} (the {@code IndexWriterConfig} analyzer). Thread-safe (immutable).
 */
public final class ProductDocuments {
  /** Joins the values of one lexical field (categories, attributes). */
  /** What joins several values into one text field (categories, attribute values). */
  public static final String TEXT_SEPARATOR = " \n ";

  /** {@link IndexSchema#SPELLING}: analysed, documents only, no norms, not stored. */
  private static final FieldType SPELLING_TYPE = spellingType();

  private static FieldType spellingType() {
    FieldType t = new FieldType();
    t.setIndexOptions(IndexOptions.DOCS);
    t.setTokenized(true);
    t.setOmitNorms(true);
    t.setStored(false);
    t.freeze();
    return t;
  }

  private final int dim;
  private final VectorSimilarityFunction similarity;

  /**
   * @param dim vector dimension every image vector must have
   * @param similarity the bundle's similarity
   */
  public ProductDocuments(int dim, Similarity similarity) {
    if (dim < 1 || dim > 4096) {
      throw new IllegalArgumentException("dim must be in [1, 4096]; dim=" + dim);
    }
    this.dim = dim;
    this.similarity = similarityFunction(similarity);
  }

  /** Lucene's similarity function for a bundle similarity. */
  public static VectorSimilarityFunction similarityFunction(Similarity similarity) {
    return switch (similarity) {
      case COSINE -> VectorSimilarityFunction.COSINE;
      case DOT_PRODUCT -> VectorSimilarityFunction.DOT_PRODUCT;
      case EUCLIDEAN -> VectorSimilarityFunction.EUCLIDEAN;
    };
  }

  /** The term that identifies every document (children and parent) of a product's block. */
  public static Term idTerm(String productId) {
    return new Term(IndexSchema.PRODUCT_ID, productId);
  }

  /** Keyword normalisation for filter fields: trimmed, lower-cased (ROOT locale). */
  public static String keyword(String value) {
    return value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
  }

  /**
   * Category filter keys: every prefix of every path, segments split on {@code /}, trimmed,
   * lower-cased and re-joined with {@code /}. {@code "Men / Tops / Hoodies"} gives {@code men},
   * {@code men/tops}, {@code men/tops/hoodies}.
   */
  public static Set<String> categoryKeys(List<String> categories) {
    Set<String> keys = new LinkedHashSet<>();
    for (String path : categories) {
      StringBuilder prefix = new StringBuilder();
      for (String segment : path.split("/")) {
        String s = keyword(segment);
        if (s.isEmpty()) {
          continue;
        }
        if (!prefix.isEmpty()) {
          prefix.append('/');
        }
        prefix.append(s);
        keys.add(prefix.toString());
      }
    }
    return keys;
  }

  /**
   * The block for one product: children (one per image, in the given order) then the parent.
   *
   * @param product the catalog product
   * @param images its encoded images (at least one)
   * @param contentHash hash of the product row and its image bytes ({@link
   *     IndexSchema#CONTENT_HASH})
   * @throws IllegalArgumentException if there is no image or a vector has the wrong dimension
   */
  public List<Document> block(Product product, List<ImageVector> images, String contentHash) {
    return block(product, images, contentHash, null);
  }

  /**
   * The block for one product with its text vector ({@link IndexSchema#TEXT_VECTOR} on the parent).
   *
   * @param textVector the text tower's embedding of {@link ProductText#of}, or null for none
   * @throws IllegalArgumentException if there is no image or a vector has the wrong dimension
   */
  public List<Document> block(
      Product product, List<ImageVector> images, String contentHash, float[] textVector) {
    if (textVector != null && textVector.length != dim) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "product %s: text vector has %d floats; index dim=%d",
              product.id(),
              textVector.length,
              dim));
    }
    if (images.isEmpty()) {
      throw new IllegalArgumentException("product " + product.id() + " has no image vector");
    }
    List<Document> docs = new ArrayList<>(images.size() + 1);
    for (ImageVector image : images) {
      if (image.vector().length != dim) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "product %s image %s: vector has %d floats; index dim=%d",
                product.id(),
                image.ref(),
                image.vector().length,
                dim));
      }
      Document child = new Document();
      child.add(new StringField(IndexSchema.DOC_TYPE, IndexSchema.TYPE_IMAGE, Field.Store.NO));
      child.add(new StringField(IndexSchema.PRODUCT_ID, product.id(), Field.Store.YES));
      child.add(new SortedDocValuesField(IndexSchema.PRODUCT_ID, new BytesRef(product.id())));
      child.add(new StoredField(IndexSchema.IMAGE_REF, image.ref()));
      child.add(new StoredField(IndexSchema.IMAGE_ORDINAL, image.ordinal()));
      if (image.sha256() != null) {
        child.add(new StoredField(IndexSchema.IMAGE_SHA256, image.sha256()));
      }
      child.add(new KnnFloatVectorField(IndexSchema.VECTOR, image.vector(), similarity));
      addFilterFields(child, product);
      docs.add(child);
    }
    Document parent = parent(product, contentHash);
    if (textVector != null) {
      parent.add(new KnnFloatVectorField(IndexSchema.TEXT_VECTOR, textVector, similarity));
    }
    docs.add(parent);
    return docs;
  }

  private static Document parent(Product p, String contentHash) {
    Document d = new Document();
    d.add(new StringField(IndexSchema.DOC_TYPE, IndexSchema.TYPE_PRODUCT, Field.Store.NO));
    d.add(new StringField(IndexSchema.PRODUCT_ID, p.id(), Field.Store.YES));
    d.add(new SortedDocValuesField(IndexSchema.PRODUCT_ID, new BytesRef(p.id())));
    String categories = String.join(TEXT_SEPARATOR, p.categories());
    String attributes = attributesText(p);
    text(d, IndexSchema.NAME, p.name(), Field.Store.YES);
    text(d, IndexSchema.DESCRIPTION, p.description(), Field.Store.YES);
    text(d, IndexSchema.CATEGORIES_TEXT, categories, Field.Store.NO);
    text(d, IndexSchema.ATTRIBUTES_TEXT, attributes, Field.Store.NO);
    d.add(
        new Field(
            IndexSchema.SPELLING,
            SpellingWords.vocabularyText(p.name(), categories, attributes, p.description()),
            SPELLING_TYPE));
    for (String c : p.categories()) {
      d.add(new StoredField(IndexSchema.CATEGORIES_STORED, c));
    }
    if (p.colour() != null) {
      d.add(new StoredField(IndexSchema.COLOUR_STORED, p.colour()));
    }
    if (p.price() != null) {
      d.add(new StoredField(IndexSchema.PRICE_STORED, p.price()));
    }
    if (!p.images().isEmpty()) {
      d.add(new StoredField(IndexSchema.IMAGE_URL, p.images().get(0)));
    }
    for (String image : p.images()) {
      d.add(new StoredField(IndexSchema.IMAGES, image));
    }
    d.add(
        new StringField(
            IndexSchema.CONTENT_HASH, contentHash == null ? "" : contentHash, Field.Store.YES));
    d.add(new NumericDocValuesField(IndexSchema.CATALOG_ROW, p.row()));
    addFilterFields(d, p);
    return d;
  }

  /**
   * A lexical field and, when the text has a CJK character, its CJK twin ({@link
   * IndexSchema#CJK_TWINS}); analysis is {@link LexicalAnalysis#indexing()}'s.
   */
  private static void text(Document d, String field, String value, Field.Store store) {
    d.add(new TextField(field, value, store));
    if (LexicalAnalysis.hasCjk(value)) {
      d.add(new TextField(IndexSchema.CJK_TWINS.get(field), value, Field.Store.NO));
    }
  }

  /**
   * The text of {@link IndexSchema#ATTRIBUTES_TEXT}: the colour and every attribute value
   * (attribute names sorted, values in catalog order).
   */
  public static String attributesText(Product p) {
    List<String> values = new ArrayList<>();
    if (p.colour() != null && !p.colour().isBlank()) {
      values.add(p.colour().strip());
    }
    for (String name : new TreeSet<>(p.attributes().keySet())) {
      for (String v : p.attributes().get(name)) {
        if (v != null && !v.isBlank()) {
          values.add(v.strip());
        }
      }
    }
    return String.join(TEXT_SEPARATOR, values);
  }

  private static void addFilterFields(Document d, Product p) {
    for (String key : categoryKeys(p.categories())) {
      keywordField(d, IndexSchema.CATEGORY, key);
    }
    if (p.colour() != null && !keyword(p.colour()).isEmpty()) {
      keywordField(d, IndexSchema.COLOUR, keyword(p.colour()));
    }
    if (p.price() != null) {
      d.add(new DoublePoint(IndexSchema.PRICE, p.price()));
      d.add(new DoubleDocValuesField(IndexSchema.PRICE, p.price()));
    }
    if (p.inStock() != null) {
      keywordField(d, IndexSchema.IN_STOCK, p.inStock().toString());
    }
    for (Map.Entry<String, List<String>> attr : p.attributes().entrySet()) {
      String field = IndexSchema.ATTR_PREFIX + keyword(attr.getKey());
      Set<String> seen = new LinkedHashSet<>();
      for (String v : attr.getValue()) {
        String k = keyword(v);
        if (!k.isEmpty() && seen.add(k)) {
          keywordField(d, field, k);
        }
      }
    }
  }

  private static void keywordField(Document d, String field, String value) {
    d.add(new StringField(field, value, Field.Store.NO));
    d.add(new SortedSetDocValuesField(field, new BytesRef(value)));
  }
}
