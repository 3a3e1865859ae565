package dev.shopsearch.indexer.job;

import dev.shopsearch.indexer.pipeline.PipelineStats;
import dev.shopsearch.indexer.report.Progress;
import dev.shopsearch.indexer.report.RejectLog;
import java.time.Duration;

/**
 * How a job reports progress.
 *
 * @param enabled report at all
 * @param terminal draw a progress bar on stderr (else log lines)
 * @param logEvery interval between log lines
 */
public record Reporting(boolean enabled, boolean terminal, Duration logEvery) {

  /** No progress output (tests). */
  public static Reporting none() {
    return new Reporting(false, false, Duration.ofSeconds(10));
  }

  /** A bar on a terminal, a log line every 10 s otherwise. */
  public static Reporting auto() {
    return new Reporting(true, Progress.isTerminal(), Duration.ofSeconds(10));
  }

  AutoCloseable start(PipelineStats stats, RejectLog rejects, long totalEstimate) {
    if (!enabled) {
      return () -> {};
    }
    Progress p = new Progress(stats, rejects, totalEstimate, terminal, logEvery, System.err);
    return p::close;
  }
}
