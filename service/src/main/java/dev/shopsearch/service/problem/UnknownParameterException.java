package dev.shopsearch.service.problem;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request named a parameter, a JSON field or a filter field (an attribute the index does not
 * have) that is not accepted. A 400 whose problem detail names it ({@code parameter}) and lists the
 * accepted names ({@code accepted}).
 */
public class UnknownParameterException extends InvalidRequestException {
  private final List<String> accepted;

  /**
   * @param parameter the first unknown name (a JSON field as its path, e.g. {@code filters.size})
   * @param message what was unknown and what is accepted
   * @param accepted the accepted names, in the endpoint's order
   */
  public UnknownParameterException(String parameter, String message, List<String> accepted) {
    super(parameter, message);
    this.accepted = List.copyOf(accepted);
  }

  /** The accepted names. */
  public List<String> accepted() {
    return accepted;
  }

  @Override
  public Map<String, Object> properties() {
    Map<String, Object> p = new LinkedHashMap<>(super.properties());
    p.put("accepted", accepted);
    return p;
  }
}
