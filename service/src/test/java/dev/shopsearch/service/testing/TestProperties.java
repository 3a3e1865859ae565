package dev.shopsearch.service.testing;

import dev.shopsearch.service.config.ServiceProperties;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Binds {@link ServiceProperties} from a map exactly as Spring does (defaults included). */
public final class TestProperties {
  private TestProperties() {}

  /** Properties from {@code shopsearch.*} keys. */
  public static ServiceProperties of(Map<String, String> values) {
    return new Binder(new MapConfigurationPropertySource(values))
        .bindOrCreate("shopsearch", ServiceProperties.class);
  }
}
