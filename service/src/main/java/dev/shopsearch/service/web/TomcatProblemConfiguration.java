package dev.shopsearch.service.web;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Tomcat-level refusals as problem+json ({@link ProblemReportValve}). */
@Configuration(proxyBeanMethods = false)
class TomcatProblemConfiguration {

  @Bean
  ProblemValveCustomizer problemReportValve() {
    return new ProblemValveCustomizer();
  }

  /**
   * Installs the valve on the host of the application's context. Ordered last, after Spring Boot's
   * own Tomcat customizer, which adds a plain {@code ErrorReportValve} that {@link
   * ProblemReportValve#install} then replaces.
   */
  static final class ProblemValveCustomizer
      implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {
    @Override
    public void customize(TomcatServletWebServerFactory factory) {
      factory.addContextCustomizers(context -> ProblemReportValve.install(context.getParent()));
    }

    @Override
    public int getOrder() {
      return Ordered.LOWEST_PRECEDENCE;
    }
  }
}
