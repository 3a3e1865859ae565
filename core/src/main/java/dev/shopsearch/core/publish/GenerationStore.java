package dev.shopsearch.core.publish;

import dev.shopsearch.core.index.IndexMetadata;
import java.io.IOException;

/**
 * Where an index's generations live and how a new one is published. Every implementation gives
 * these guarantees:
 *
 * <ul>
 *   <li><b>invisible until published</b>: searchers never see a {@link GenerationDraft}; they see
 *       the published generation until {@link GenerationDraft#publish} returns, then the new one
 *   <li><b>atomic publish</b>: one switch (a pointer file renamed atomically; one {@code _aliases}
 *       call) moves readers from the old generation to the new one, after the new one was checked
 *       (its product and image counts and its metadata)
 *   <li><b>crash safety</b>: a process killed at any moment (also {@code kill -9}) leaves the
 *       published generation live and complete; a later run removes the leftovers of the dead one
 *       and completes
 *   <li><b>prune</b>: after publishing, generations beyond the newest {@code keepGenerations} are
 *       deleted, never the published one
 *   <li><b>model and schema metadata</b>: the published generation carries the {@link
 *       IndexMetadata} given to {@link GenerationDraft#publish} (model name, version, content hash,
 *       dimension, similarity, vector format, schema version, counts), read back by {@link
 *       GenerationDraft#base()} so that an update refuses another model or schema
 *   <li><b>refusals</b>: a product the backend refuses for its content is reported to the draft's
 *       {@link ProductRefusals} and left out (an update deletes its old version); the run goes on.
 *       A backend that cannot be written at all fails the run with an {@link IOException}
 * </ul>
 *
 * One writer per store at a time (the Lucene root's file lock; OpenSearch: a second writer's
 * generation index would collide and fail).
 */
public interface GenerationStore {
  /**
   * A new, empty generation for a full build with the model, vector format and HNSW parameters of
   * {@code metadata}.
   */
  GenerationDraft create(IndexMetadata metadata, ProductRefusals refusals) throws IOException;

  /**
   * A new generation holding a copy of the published one, for an incremental update: {@link
   * GenerationDraft#base()} is the published generation's metadata.
   *
   * @throws java.nio.file.NoSuchFileException when nothing is published yet
   */
  GenerationDraft copyOfCurrent(ProductRefusals refusals) throws IOException;

  /** Where the store is, for log lines and summaries (never a secret). */
  String describe();
}
