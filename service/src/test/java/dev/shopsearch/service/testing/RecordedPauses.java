package dev.shopsearch.service.testing;

import dev.shopsearch.service.overload.Pause;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link Pause} that records each hold instead of sleeping. Thread-safe. */
public final class RecordedPauses implements Pause {
  private final List<Duration> pauses = new CopyOnWriteArrayList<>();

  @Override
  public void park(Duration d) {
    pauses.add(d);
  }

  /** The holds so far, in order. */
  public List<Duration> all() {
    return List.copyOf(pauses);
  }

  /** Forgets the holds so far. */
  public void clear() {
    pauses.clear();
  }
}
