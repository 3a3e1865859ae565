package dev.shopsearch.trainer.cli;

import dev.shopsearch.trainer.data.CaptionTemplates;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --template}, the caption templates over catalog fields (a picocli mixin); each command
 * sets its own default with {@link #defaults}.
 */
public final class TemplateOptions {

  @Option(
      names = "--template",
      split = "\\|",
      paramLabel = "TEMPLATE",
      description =
          "Caption template over catalog fields, e.g. \"{gender} {colour} {name}\"; repeatable or"
              + " |-separated (default: ${DEFAULT-VALUE}).")
  List<String> templates;

  /** Options whose default is {@code templates}. */
  public static TemplateOptions defaults(List<String> templates) {
    TemplateOptions o = new TemplateOptions();
    o.templates = new ArrayList<>(templates);
    return o;
  }

  /**
   * The templates.
   *
   * @throws UsageException when there is none or one names no {@code {field}}
   */
  public List<String> templates() {
    return captions().templates();
  }

  /**
   * The templates as {@link CaptionTemplates}.
   *
   * @throws UsageException when there is none or one names no {@code {field}}
   */
  public CaptionTemplates captions() {
    try {
      return new CaptionTemplates(templates);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--template: " + e.getMessage(), e);
    }
  }
}
