package dev.shopsearch.trainer.cli;

import java.util.Map;

/**
 * A user mistake in the command line found after parsing (an option value out of range, a
 * combination that does not work): {@link TrainerCli} prints its message on one line and exits with
 * {@link TrainerCli#EXIT_USAGE}.
 */
public final class UsageException extends IllegalArgumentException {

  public UsageException(String message) {
    super(message);
  }

  public UsageException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * A configuration record's validation error in the words of the command line: the leading
   * component name and the {@code ; name=value} part become the option, e.g. {@code epochs must be
   * in [1, 10000]; epochs=0} → {@code --epochs must be in [1, 10000]; --epochs=0}.
   *
   * @param options option name by record component name
   */
  public static UsageException of(IllegalArgumentException e, Map<String, String> options) {
    String msg = String.valueOf(e.getMessage());
    for (Map.Entry<String, String> o : options.entrySet()) {
      String name = o.getKey();
      if (msg.startsWith(name + " ")) {
        msg =
            o.getValue()
                + msg.substring(name.length())
                    .replace("; " + name + "=", "; " + o.getValue() + "=");
        break;
      }
    }
    return new UsageException(msg, e);
  }

  /**
   * Checks that option {@code option}'s {@code value} is in [{@code min}, {@code max}].
   *
   * @return the value
   * @throws UsageException naming the option, the value and the range
   */
  public static double requireIn(String option, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw new UsageException(
          option + " must be in [" + min + ", " + max + "]; " + option + "=" + value);
    }
    return value;
  }
}
