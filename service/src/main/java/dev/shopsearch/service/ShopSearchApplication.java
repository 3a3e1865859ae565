package dev.shopsearch.service;

import dev.shopsearch.core.DjlOffline;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The shopsearch HTTP service: search API, storefront, actuator. */
@SpringBootApplication
public class ShopSearchApplication {
  public static void main(String[] args) {
    DjlOffline.ensure();
    SpringApplication.run(ShopSearchApplication.class, args);
  }
}
