package dev.shopsearch.trainer.train;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A stop request from another thread (e.g. Ctrl-C): registered as a {@link TrainingListener}, it
 * {@linkplain TrainingRun#requestStop() interrupts} the run at the next step or epoch boundary, so
 * the last checkpoint stays whole and {@code --resume} continues exactly. Thread-safe.
 */
public final class StopSignal implements TrainingListener {

  private final AtomicBoolean requested = new AtomicBoolean();

  /** Asks the run to stop; safe from any thread, any number of times. */
  public void request() {
    requested.set(true);
  }

  /** Whether a stop was requested. */
  public boolean requested() {
    return requested.get();
  }

  @Override
  public void onTrainingBegin(TrainingRun run) {
    forward(run);
  }

  @Override
  public void onTrainingBatch(TrainingRun run, StepStats step) {
    forward(run);
  }

  @Override
  public void onEpoch(TrainingRun run, EpochStats epoch, boolean improved) {
    forward(run);
  }

  private void forward(TrainingRun run) {
    if (requested.get()) {
      run.requestStop();
    }
  }

  /**
   * Requests a stop when the JVM shuts down (Ctrl-C, SIGTERM) and holds the shutdown until {@link
   * ShutdownHook#close()} (the run has returned), at most two minutes, so a signal never cuts a
   * checkpoint write short. Close it when the run is over.
   *
   * @param log receives one line when the signal arrives
   */
  public ShutdownHook onShutdown(Consumer<String> log) {
    return new ShutdownHook(this, log, Duration.ofMinutes(2));
  }

  /** The JVM shutdown hook of {@link #onShutdown}. */
  public static final class ShutdownHook implements AutoCloseable {
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;

    private ShutdownHook(StopSignal signal, Consumer<String> log, Duration wait) {
      this.hook =
          new Thread(
              () -> {
                if (done.getCount() == 0) {
                  return;
                }
                log.accept("stopping at the next step (the last checkpoint is kept)...");
                signal.request();
                try {
                  done.await(wait.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "trainer-stop");
      Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public void close() {
      done.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down: the hook runs and returns now that done is counted down
      }
    }
  }
}
