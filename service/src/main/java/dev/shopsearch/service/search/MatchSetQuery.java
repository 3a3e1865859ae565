package dev.shopsearch.service.search;

import java.io.IOException;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.ConstantScoreScorer;
import org.apache.lucene.search.ConstantScoreWeight;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.FixedBitSet;

/**
 * The products of a {@link MatchSet} as a Lucene query (constant score), so that Lucene's sorted
 * top-N collection ({@code TopFieldCollector}, {@code search_after}) can page it by doc values
 * without sorting it. Matches the documents set in a bit set over the whole reader; not cached (one
 * per request).
 */
final class MatchSetQuery extends Query {
  private final FixedBitSet docs;

  /**
   * @param docs the matching documents, by top-level doc id
   */
  MatchSetQuery(FixedBitSet docs) {
    this.docs = docs;
  }

  @Override
  public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) {
    return new ConstantScoreWeight(this, boost) {
      @Override
      public ScorerSupplier scorerSupplier(LeafReaderContext context) {
        DocIdSetIterator it = new LeafSlice(docs, context.docBase, context.reader().maxDoc());
        return new DefaultScorerSupplier(new ConstantScoreScorer(score(), scoreMode, it));
      }

      @Override
      public boolean isCacheable(LeafReaderContext ctx) {
        return false;
      }
    };
  }

  @Override
  public void visit(QueryVisitor visitor) {
    visitor.visitLeaf(this);
  }

  @Override
  public String toString(String field) {
    return "MatchSetQuery(" + docs.cardinality() + " docs)";
  }

  @Override
  public boolean equals(Object other) {
    return this == other;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }

  /** The set bits of one leaf's doc id range, as leaf doc ids. */
  private static final class LeafSlice extends DocIdSetIterator {
    private final FixedBitSet bits;
    private final int base;
    private final int end;
    private final int maxDoc;
    private int doc = -1;

    LeafSlice(FixedBitSet bits, int base, int maxDoc) {
      this.bits = bits;
      this.base = base;
      this.maxDoc = maxDoc;
      this.end = Math.min(bits.length(), base + maxDoc);
    }

    @Override
    public int docID() {
      return doc;
    }

    @Override
    public int nextDoc() throws IOException {
      return advance(doc + 1);
    }

    @Override
    public int advance(int target) {
      // target may be NO_MORE_DOCS (Lucene's skipping by points): base + target would overflow
      if (target >= maxDoc) {
        return doc = NO_MORE_DOCS;
      }
      int t = base + target;
      if (t >= end) {
        return doc = NO_MORE_DOCS;
      }
      int next = bits.nextSetBit(t, end);
      return doc = next == NO_MORE_DOCS ? NO_MORE_DOCS : next - base;
    }

    @Override
    public long cost() {
      return maxDoc;
    }
  }
}
