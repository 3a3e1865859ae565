package dev.shopsearch.core.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {

  @TempDir Path dir;

  @Test
  void f32RoundTripKeepsNamesShapesValuesAndMetadata() throws IOException {
    Random rnd = new Random(3);
    Map<String, FloatTensor> in = new LinkedHashMap<>();
    float[] a = new float[6];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) rnd.nextGaussian();
    }
    in.put("layer.weight", new FloatTensor(new long[] {2, 3}, a));
    in.put("logit_scale", new FloatTensor(new long[] {}, new float[] {2.6592f}));
    in.put("bias", new FloatTensor(new long[] {3}, new float[] {-1f, 0f, Float.MIN_VALUE}));
    Path f = dir.resolve("t.safetensors");
    Safetensors.writeFloats(f, in, Map.of("format", "pt"));

    assertThat(Safetensors.readFloats(f)).containsExactlyEntriesOf(in);
    Safetensors.Header h = Safetensors.readHeader(f);
    assertThat(h.metadata()).containsEntry("format", "pt");
    assertThat(h.dataStart() % 8).isZero();
    assertThat(h.tensors().get("layer.weight").dtype()).isEqualTo("F32");
  }

  @Test
  void readsF16AndBf16() throws IOException {
    float[] values = {1.5f, -2.25f, 0f, 65504f};
    ByteBuffer f16 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer bf16 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      f16.putShort(Float.floatToFloat16(v));
      bf16.putShort((short) (Float.floatToIntBits(v) >>> 16));
    }
    String header =
        "{\"a\":{\"dtype\":\"F16\",\"shape\":[2,2],\"data_offsets\":[0,8]},"
            + "\"b\":{\"dtype\":\"BF16\",\"shape\":[4],\"data_offsets\":[8,16]}}";
    Path f = write(header, f16.array(), bf16.array());

    Map<String, FloatTensor> t = Safetensors.readFloats(f);
    assertThat(t.get("a").data()).containsExactly(values);
    assertThat(t.get("a").shape()).containsExactly(2, 2);
    // bf16 truncation of these values is exact except 65504 (rounds down to 65280)
    assertThat(t.get("b").data()).containsExactly(1.5f, -2.25f, 0f, 65280f);
  }

  @Test
  void refusesUnsupportedDtypeAndBadOffsetsWithClearMessages() throws IOException {
    Path i64 =
        write("{\"ids\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", new byte[8]);
    assertThatThrownBy(() -> Safetensors.readFloats(i64))
        .hasMessageContaining("ids")
        .hasMessageContaining("I64")
        .hasMessageContaining("F32, F16, BF16");
    Path bad =
        write("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", new byte[8]);
    assertThatThrownBy(() -> Safetensors.readFloats(bad))
        .hasMessageContaining("w")
        .hasMessageContaining("outside the data section");
    Path junk = dir.resolve("junk");
    Files.write(junk, new byte[] {1, 2, 3});
    assertThatThrownBy(() -> Safetensors.readFloats(junk)).isInstanceOf(IOException.class);
  }

  private Path write(String header, byte[]... data) throws IOException {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    int total = 0;
    for (byte[] d : data) {
      total += d.length;
    }
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + total).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h);
    for (byte[] d : data) {
      b.put(d);
    }
    Path f = Files.createTempFile(dir, "st", ".safetensors");
    Files.write(f, b.array());
    return f;
  }
}
