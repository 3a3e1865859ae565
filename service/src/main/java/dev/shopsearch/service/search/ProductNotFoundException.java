package dev.shopsearch.service.search;

/** The product named in the path is not in the served index (404). */
public class ProductNotFoundException extends RuntimeException {
  public ProductNotFoundException(String message) {
    super(message);
  }
}
