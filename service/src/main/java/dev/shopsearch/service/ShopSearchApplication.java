package dev.shopsearch.service;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The shopsearch HTTP service: search API, storefront, actuator. */
@SpringBootApplication
public class ShopSearchApplication {
  public static void main(String[] args) {
    SpringApplication.run(ShopSearchApplication.class, args);
  }
}
