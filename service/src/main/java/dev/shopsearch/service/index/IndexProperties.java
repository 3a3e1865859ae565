package dev.shopsearch.service.index;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings under {@code shopsearch.index}, bound and validated at startup (a bad value fails the
 * start with a message naming the property and the limit).
 *
 * @param root index root holding {@code gen-NNNNNN/} directories and the {@code CURRENT} pointer
 * @param watchInterval how often {@code CURRENT} is checked for a new generation
 * @param catalogRoot directory the catalog's relative image paths resolve against (served by {@code
 *     /images/**}); null disables image serving
 */
@Validated
@ConfigurationProperties("shopsearch.index")
public record IndexProperties(
    Path root, @DefaultValue("2s") @NotNull Duration watchInterval, Path catalogRoot) {}
