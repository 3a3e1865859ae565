package dev.shopsearch.indexer.job;

import dev.shopsearch.core.index.Generation;
import dev.shopsearch.core.index.IndexGenerations;
import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.index.OpenIndex;
import dev.shopsearch.core.index.ProductKnn;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;

/**
 * Verifies the live generation: Lucene's CheckIndex, metadata counts, the block structure (every
 * image is followed by its product's parent document) and the recall of the search the service runs
 * against exact search ({@link ProductRecall}: product level, the service's candidate window,
 * full-precision rescoring for quantised formats). A generation that cannot be read (a truncated or
 * missing file) fails the verification with the reason as a problem.
 *
 * @param queries number of random queries (each the normalised sum of two indexed vectors)
 * @param k products compared per query (the page size)
 * @param candidates the service's HNSW candidates ({@code shopsearch.search.num-candidates}, {@link
 *     ProductKnn#DEFAULT_CANDIDATES} by default)
 * @param minRecall recall@k below which the verification fails
 * @param seed random seed of the queries
 * @param checkIndex run CheckIndex (reads every file; slow on big indexes)
 */
public record IndexVerifier(
    int queries, int k, int candidates, double minRecall, long seed, boolean checkIndex) {

  public IndexVerifier {
    if (queries < 1 || queries > 10_000) {
      throw new IllegalArgumentException("queries must be in [1, 10000]; queries=" + queries);
    }
    if (k < 1 || k > 1000) {
      throw new IllegalArgumentException("k must be in [1, 1000]; k=" + k);
    }
    if (candidates < 1 || candidates > 10_000) {
      throw new IllegalArgumentException(
          "candidates must be in [1, 10000]; candidates=" + candidates);
    }
    if (!(minRecall >= 0 && minRecall <= 1)) {
      throw new IllegalArgumentException("minRecall must be in [0, 1]; minRecall=" + minRecall);
    }
  }

  /**
   * What {@link #verify} found.
   *
   * @param warnings findings that do not fail the verification (an OpenSearch index whose health is
   *     yellow: replicas unassigned, every product still searchable)
   * @param window hits the kNN was asked for per query, as the service does for a page of k
   * @param recall mean product-level recall@k (NaN when it could not be measured)
   * @param modelChecked images re-encoded by the {@link ModelCheck} (0 when it did not run)
   * @param modelSkipped sampled images the model check could not compare
   * @param modelMinCosine lowest cosine between a stored vector and its re-encoding (NaN when none)
   */
  public record Result(
      String generation,
      boolean passed,
      List<String> problems,
      List<String> warnings,
      boolean checkIndexRan,
      boolean checkIndexClean,
      long products,
      long images,
      int queries,
      int k,
      int candidates,
      int window,
      double recall,
      double minRecall,
      int modelChecked,
      int modelSkipped,
      double modelMinCosine,
      double seconds) {}

  /** Verifies {@code CURRENT} under an index root. */
  public Result verify(IndexGenerations gens) throws IOException {
    return verify(gens, null);
  }

  /**
   * Verifies {@code CURRENT} under an index root, and with {@code modelCheck} (when not null) that
   * its vectors come from the model that check encodes with.
   */
  public Result verify(IndexGenerations gens, ModelCheck modelCheck) throws IOException {
    Generation gen =
        gens.current()
            .orElseThrow(() -> new IOException("no published generation under " + gens.root()));
    long start = System.nanoTime();
    List<String> problems = new ArrayList<>();
    boolean clean = true;
    if (checkIndex) {
      clean = runCheckIndex(gen, problems);
    }
    ProductRecall recallCheck = new ProductRecall(queries, k, candidates, seed);
    long products = -1;
    long images = -1;
    double recall = Double.NaN;
    ModelCheck.Result model = new ModelCheck.Result(0, 0, Double.NaN, null);
    try (OpenIndex open = IndexGenerations.open(gen)) {
      DirectoryReader reader = open.reader();
      products = JobSupport.countType(reader, IndexSchema.TYPE_PRODUCT);
      images = JobSupport.countType(reader, IndexSchema.TYPE_IMAGE);
      if (products != open.metadata().products() || images != open.metadata().images()) {
        problems.add(
            String.format(
                Locale.ROOT,
                "index holds %d products / %d images; metadata says %d / %d",
                products,
                images,
                open.metadata().products(),
                open.metadata().images()));
      }
      checkBlocks(reader, problems);
      recall = images == 0 ? 1 : recallCheck.measure(reader, open.metadata().vectorFormat());
      if (recall < minRecall) {
        problems.add(
            String.format(
                Locale.ROOT,
                "recall@%d %.4f (%d candidates, as the service searches) is below the minimum"
                    + " %.4f",
                k,
                recall,
                candidates,
                minRecall));
      }
      if (modelCheck != null && images > 0) {
        model = modelCheck.run(reader);
        if (model.checked() == 0) {
          problems.add(
              "model check: none of the "
                  + model.skipped()
                  + " sampled images could be compared, e.g. "
                  + model.worst());
        } else if (!model.passed()) {
          problems.add(
              String.format(
                  Locale.ROOT,
                  "model check: the bundle encodes %d sampled images unlike their stored vectors"
                      + " (lowest cosine %.4f < %.2f, %s): the generation's vectors come from"
                      + " another model or preprocessing",
                  model.checked(),
                  model.minCosine(),
                  ModelCheck.MIN_COSINE,
                  model.worst()));
        }
      }
    } catch (IOException | RuntimeException e) {
      problems.add("cannot read " + gen.name() + ": " + e);
    }
    return new Result(
        gen.name(),
        problems.isEmpty(),
        problems,
        List.of(),
        checkIndex,
        clean,
        products,
        images,
        queries,
        k,
        candidates,
        recallCheck.window(),
        recall,
        minRecall,
        model.checked(),
        model.skipped(),
        model.minCosine(),
        (System.nanoTime() - start) / 1e9);
  }

  private static boolean runCheckIndex(Generation gen, List<String> problems) {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (var dir = org.apache.lucene.store.FSDirectory.open(gen.dir());
        CheckIndex ci = new CheckIndex(dir)) {
      ci.setInfoStream(new PrintStream(log, true, StandardCharsets.UTF_8));
      CheckIndex.Status status = ci.checkIndex();
      if (!status.clean) {
        String text = log.toString(StandardCharsets.UTF_8);
        problems.add(
            "CheckIndex found problems: "
                + text.substring(Math.max(0, text.length() - 2000)).replace('\n', ' '));
      }
      return status.clean;
    } catch (IOException | RuntimeException e) {
      problems.add("CheckIndex could not read " + gen.name() + ": " + e);
      return false;
    }
  }

  /** Every image doc must be followed by the parent of the same product; every parent has one. */
  private static void checkBlocks(DirectoryReader reader, List<String> problems)
      throws IOException {
    IndexSearcher searcher = new IndexSearcher(reader);
    Weight parentsWeight =
        searcher.createWeight(
            new TermQuery(new Term(IndexSchema.DOC_TYPE, IndexSchema.TYPE_PRODUCT)),
            ScoreMode.COMPLETE_NO_SCORES,
            1);
    long bad = 0;
    String example = null;
    for (LeafReaderContext leaf : reader.leaves()) {
      int maxDoc = leaf.reader().maxDoc();
      FixedBitSet parents = new FixedBitSet(Math.max(1, maxDoc));
      Scorer s = parentsWeight.scorer(leaf);
      if (s != null) {
        DocIdSetIterator it = s.iterator();
        for (int d = it.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = it.nextDoc()) {
          parents.set(d);
        }
      }
      SortedDocValues ids = leaf.reader().getSortedDocValues(IndexSchema.PRODUCT_ID);
      Bits live = leaf.reader().getLiveDocs();
      int[] ord = new int[maxDoc];
      for (int d = 0; d < maxDoc; d++) {
        ord[d] = ids != null && ids.advanceExact(d) ? ids.ordValue() : -1;
      }
      int childrenSinceParent = 0;
      for (int d = 0; d < maxDoc; d++) {
        if (live != null && !live.get(d)) {
          continue;
        }
        if (parents.get(d)) {
          if (childrenSinceParent == 0) {
            bad++;
            example = example == null ? "parent doc " + d + " has no image child" : example;
          }
          childrenSinceParent = 0;
          continue;
        }
        childrenSinceParent++;
        int parent = d + 1 < maxDoc ? parents.nextSetBit(d + 1) : DocIdSetIterator.NO_MORE_DOCS;
        if (parent == DocIdSetIterator.NO_MORE_DOCS || ord[parent] != ord[d]) {
          bad++;
          example =
              example == null ? "image doc " + d + " is not followed by its product" : example;
        }
      }
    }
    if (bad > 0) {
      problems.add(bad + " block structure problems, e.g. " + example);
    }
  }
}
