package dev.shopsearch.core.fetch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body up to a byte limit (package-private). Past the limit, or when the
 * declared Content-Length is already over it, the subscription is cancelled (the connection is
 * dropped, nothing more is read) and the body completes with {@link TooLargeException}.
 */
final class CappedBodySubscriber implements HttpResponse.BodySubscriber<byte[]> {

  /** The body exceeded the cap. */
  static final class TooLargeException extends IOException {
    TooLargeException(String message) {
      super(message);
    }
  }

  private final long maxBytes;
  private final long declaredLength;
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private Flow.Subscription subscription;
  private long received;

  /**
   * @param declaredLength the Content-Length header, or -1
   */
  CappedBodySubscriber(long maxBytes, long declaredLength) {
    this.maxBytes = maxBytes;
    this.declaredLength = declaredLength;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (declaredLength > maxBytes) {
      s.cancel();
      result.completeExceptionally(
          new TooLargeException(
              String.format(
                  Locale.ROOT,
                  "Content-Length %d is more than the limit of %d bytes",
                  declaredLength,
                  maxBytes)));
      return;
    }
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer item : items) {
      received += item.remaining();
      if (received > maxBytes) {
        subscription.cancel();
        result.completeExceptionally(
            new TooLargeException(
                String.format(
                    Locale.ROOT,
                    "body is more than the limit of %d bytes (stopped reading at %d)",
                    maxBytes,
                    received)));
        return;
      }
      byte[] chunk = new byte[item.remaining()];
      item.get(chunk);
      out.write(chunk, 0, chunk.length);
    }
  }

  @Override
  public void onError(Throwable error) {
    result.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    result.complete(out.toByteArray());
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }
}
