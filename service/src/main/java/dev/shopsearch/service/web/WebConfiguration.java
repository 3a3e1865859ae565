package dev.shopsearch.service.web;

import dev.shopsearch.service.overload.Deadline;
import dev.shopsearch.service.overload.OverloadProperties;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.QueryParameter;
import java.util.ArrayList;
import java.util.List;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.core.Ordered;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The web layer: unknown parameters of {@code /v1/**} refused ({@link StrictParameters}) and
 * parameter aliases ({@link ParameterAliases}) in the OpenAPI description beside the parameter they
 * stand for; a handler's {@link Deadline} argument ({@link DeadlineResolver}), documented as the
 * {@value Deadline#HEADER} header; CORS for {@code /v1/**} from {@code shopsearch.cors}; Tomcat's
 * own refusals as problem+json ({@link ProblemReportValve}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CorsProperties.class)
class WebConfiguration implements WebMvcConfigurer {
  static {
    // A Deadline argument is resolved from a header, not bound from the query or the body.
    SpringDocUtils.getConfig().addRequestWrapperToIgnore(Deadline.class);
  }

  private final CorsProperties cors;
  private final OverloadProperties overload;

  WebConfiguration(CorsProperties cors, OverloadProperties overload) {
    this.cors = cors;
    this.overload = overload;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(new StrictParameters()).addPathPatterns("/v1/**");
  }

  @Override
  public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
    resolvers.add(new DeadlineResolver(overload));
  }

  @Override
  public void addCorsMappings(CorsRegistry registry) {
    if (cors.allowedOrigins().isEmpty()) {
      return;
    }
    registry
        .addMapping("/v1/**")
        .allowedOrigins(cors.allowedOrigins().toArray(String[]::new))
        .allowedMethods("GET", "POST")
        .exposedHeaders(RequestIdFilter.HEADER, "Retry-After")
        .maxAge(3600);
  }

  /** The {@value Deadline#HEADER} header of every handler that takes a {@link Deadline}. */
  @Bean
  OperationCustomizer apiDocsDeadlineHeader() {
    return (operation, handler) -> {
      for (MethodParameter p : handler.getMethodParameters()) {
        if (p.getParameterType() == Deadline.class) {
          operation.addParametersItem(
              new HeaderParameter()
                  .name(Deadline.HEADER)
                  .required(false)
                  .schema(new IntegerSchema())
                  .description(
                      "tightens the configured deadline, milliseconds in [1, "
                          + Deadline.MAX_HEADER_MS
                          + "]"));
          break;
        }
      }
      return operation;
    };
  }

  /** Adds {@code color} (and any other alias) next to the query parameter it stands for. */
  @Bean
  OperationCustomizer apiDocsAliases() {
    return (operation, handler) -> {
      if (operation.getParameters() == null) {
        return operation;
      }
      List<Parameter> aliases = new ArrayList<>();
      for (Parameter p : operation.getParameters()) {
        ParameterAliases.ALIASES.forEach(
            (alias, target) -> {
              if (target.equals(p.getName()) && "query".equals(p.getIn())) {
                aliases.add(
                    new QueryParameter()
                        .name(alias)
                        .required(false)
                        .schema(p.getSchema())
                        .description("Alias of " + target + "."));
              }
            });
      }
      aliases.forEach(operation::addParametersItem);
      return operation;
    };
  }

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
