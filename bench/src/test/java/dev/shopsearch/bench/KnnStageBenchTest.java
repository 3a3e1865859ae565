package dev.shopsearch.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.lucene.util.VectorUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The export that both sides of the kNN comparison read, and the vectors it holds. */
class KnnStageBenchTest {

  @Test
  void clusteredVectorsAreDeterministicUnitVectorsNearTheirClusters() {
    ClusteredVectors a = new ClusteredVectors(16, 5);
    ClusteredVectors b = new ClusteredVectors(16, 5);
    assertThat(b.vector(123)).containsExactly(a.vector(123));
    assertThat(VectorUtil.dotProduct(a.vector(9), a.vector(9))).isCloseTo(1f, within());
    // two vectors of one cluster are closer than two of different clusters
    int i = 0;
    int same = -1;
    int other = -1;
    for (int j = 1; j < 200 && (same < 0 || other < 0); j++) {
      if (a.cluster(j) == a.cluster(i)) {
        same = j;
      } else {
        other = j;
      }
    }
    assertThat(VectorUtil.dotProduct(a.vector(i), a.vector(same)))
        .isGreaterThan(VectorUtil.dotProduct(a.vector(i), a.vector(other)));
  }

  @Test
  void theExportHoldsTheQueriesAfterTheIndexedVectorsAndTheirExactNeighbours(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("data.bin");
    KnnStageBench.export(
        Map.of(
            "out", file.toString(),
            "products", "300",
            "dim", "8",
            "clusters", "4",
            "queries", "6",
            "truth", "5",
            "threads", "2"));
    assertThat(Files.size(file)).isEqualTo(20L + 4L * (300 + 6) * 8 + 4L * 6 * 5);
    KnnStageBench.Data d = KnnStageBench.read(file);
    ClusteredVectors v = new ClusteredVectors(8, 4);
    assertThat(d.n()).isEqualTo(300);
    assertThat(d.queries()).hasNumberOfRows(6);
    assertThat(d.queries()[2]).containsExactly(v.vector(302)); // not an indexed vector
    float[][] base = new float[300][];
    for (int i = 0; i < base.length; i++) {
      base[i] = v.vector(i);
    }
    for (int q = 0; q < 6; q++) {
      int[] t = d.truth()[q];
      assertThat(t).hasSize(5).doesNotHaveDuplicates();
      float worstKept = VectorUtil.dotProduct(base[t[4]], d.queries()[q]);
      for (int j = 1; j < t.length; j++) { // best first
        assertThat(VectorUtil.dotProduct(base[t[j]], d.queries()[q]))
            .isLessThanOrEqualTo(VectorUtil.dotProduct(base[t[j - 1]], d.queries()[q]));
      }
      for (int i = 0; i < base.length; i++) { // nothing outside the list beats its last entry
        if (!contains(t, i)) {
          assertThat(VectorUtil.dotProduct(base[i], d.queries()[q])).isLessThanOrEqualTo(worstKept);
        }
      }
    }
    assertThat(KnnStageBench.querySet(d, "tune")).hasNumberOfRows(3);
    assertThat(KnnStageBench.querySet(d, "holdout")[0]).containsExactly(d.queries()[3]);
    assertThatThrownBy(() -> KnnStageBench.querySet(d, "test"))
        .hasMessageContaining("--set must be tune, holdout or all; got 'test'");
  }

  private static boolean contains(int[] a, int x) {
    for (int y : a) {
      if (y == x) {
        return true;
      }
    }
    return false;
  }

  private static org.assertj.core.data.Offset<Float> within() {
    return org.assertj.core.data.Offset.offset(1e-5f);
  }
}
