package dev.shopsearch.core.encode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pool of direct, native-order buffers handed to ONNX Runtime without copying. Each encoder call
 * borrows one {@link Scratch}, so concurrent calls never share buffers; buffers grow on demand and
 * are kept for the next call unless they exceed {@link #MAX_KEPT_BYTES}. Thread-safe.
 */
final class ScratchPool {
  /** Scratch sets larger than this are dropped after use instead of pooled. */
  static final long MAX_KEPT_BYTES = 64L * 1024 * 1024;

  private final ConcurrentLinkedQueue<Scratch> idle = new ConcurrentLinkedQueue<>();
  private final AtomicInteger idleCount = new AtomicInteger();
  private final int maxIdle;

  ScratchPool(int maxIdle) {
    this.maxIdle = maxIdle;
  }

  Scratch acquire() {
    Scratch s = idle.poll();
    if (s == null) {
      return new Scratch();
    }
    idleCount.decrementAndGet();
    return s;
  }

  void release(Scratch s) {
    if (s.bytes() > MAX_KEPT_BYTES) {
      return;
    }
    if (idleCount.incrementAndGet() > maxIdle) {
      idleCount.decrementAndGet();
      return;
    }
    idle.offer(s);
  }

  /** Buffers for one call: up to three long inputs, one float input and one float output. */
  static final class Scratch {
    private final LongBuffer[] longs = new LongBuffer[3];
    private FloatBuffer input;
    private FloatBuffer output;

    /** A direct buffer of exactly {@code n} longs in slot {@code slot} (contents undefined). */
    LongBuffer longs(int slot, int n) {
      if (longs[slot] == null || longs[slot].capacity() < n) {
        longs[slot] =
            direct(grow(longs[slot] == null ? 0 : longs[slot].capacity(), n) * 8L).asLongBuffer();
      }
      return longs[slot].clear().limit(n).slice();
    }

    /** A direct buffer of exactly {@code n} floats for the input (contents undefined). */
    FloatBuffer input(int n) {
      if (input == null || input.capacity() < n) {
        input = direct(grow(input == null ? 0 : input.capacity(), n) * 4L).asFloatBuffer();
      }
      return input.clear().limit(n).slice();
    }

    /** A direct buffer of exactly {@code n} floats for the output (contents undefined). */
    FloatBuffer output(int n) {
      if (output == null || output.capacity() < n) {
        output = direct(grow(output == null ? 0 : output.capacity(), n) * 4L).asFloatBuffer();
      }
      return output.clear().limit(n).slice();
    }

    long bytes() {
      long total = 0;
      for (LongBuffer b : longs) {
        total += b == null ? 0 : 8L * b.capacity();
      }
      total += input == null ? 0 : 4L * input.capacity();
      total += output == null ? 0 : 4L * output.capacity();
      return total;
    }

    private static int grow(int current, int needed) {
      return Math.min(Integer.MAX_VALUE - 8, Math.max(needed, current + (current >> 1)));
    }

    private static ByteBuffer direct(long bytes) {
      return ByteBuffer.allocateDirect(Math.toIntExact(bytes)).order(ByteOrder.nativeOrder());
    }
  }
}
