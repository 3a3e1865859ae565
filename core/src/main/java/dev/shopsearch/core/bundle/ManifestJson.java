package dev.shopsearch.core.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads and writes {@code model.json} ({@link BundleManifest}) with Jackson. Enum values are
 * written in upper case and read case-insensitively; unknown fields are rejected so that a typo
 * fails loudly instead of silently falling back to a default. Thread-safe.
 */
public final class ManifestJson {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();

  private ManifestJson() {}

  /**
   * Parses a manifest.
   *
   * @param json the JSON text
   * @param source where it came from, used in error messages
   * @throws BundleException naming {@code source} and the offending field
   */
  public static BundleManifest parse(String json, Path source) {
    try {
      BundleManifest manifest = MAPPER.readValue(json, BundleManifest.class);
      if (manifest == null) {
        throw new BundleException(source + ": manifest is empty (expected a JSON object)");
      }
      return manifest;
    } catch (JsonMappingException e) {
      throw new BundleException(
          String.format(
              Locale.ROOT,
              "%s: invalid manifest field '%s': %s",
              source,
              fieldPath(e),
              rootMessage(e)),
          e);
    } catch (JsonProcessingException e) {
      throw new BundleException(
          String.format(Locale.ROOT, "%s: not valid JSON: %s", source, e.getOriginalMessage()), e);
    }
  }

  /** Serialises a manifest (pretty-printed, stable field order). */
  public static String toJson(BundleManifest manifest) {
    try {
      return MAPPER.writeValueAsString(manifest);
    } catch (IOException e) {
      throw new BundleException("cannot serialise manifest " + manifest.name(), e);
    }
  }

  private static String fieldPath(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.isEmpty() ? "<root>" : path.toString();
  }

  private static String rootMessage(JsonMappingException e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    if (t instanceof JsonProcessingException jpe) {
      String message = jpe.getOriginalMessage();
      if (message != null && message.startsWith("Cannot map `null` into type")) {
        return "required field is missing or null";
      }
      return message;
    }
    return t.getMessage();
  }
}
