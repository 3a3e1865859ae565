package dev.shopsearch.service.web;

import dev.shopsearch.service.search.InvalidRequestException;
import java.util.List;

/**
 * A request named a parameter or a JSON field that the endpoint does not take. A 400 whose problem
 * detail names it ({@code parameter}) and lists the accepted names ({@code accepted}).
 */
class UnknownParameterException extends InvalidRequestException {
  private final List<String> accepted;

  /**
   * @param parameter the first unknown name (a JSON field as its path, e.g. {@code filters.size})
   * @param message what was unknown and what is accepted
   * @param accepted the accepted names, in the endpoint's order
   */
  UnknownParameterException(String parameter, String message, List<String> accepted) {
    super(parameter, message);
    this.accepted = List.copyOf(accepted);
  }

  List<String> accepted() {
    return accepted;
  }
}
