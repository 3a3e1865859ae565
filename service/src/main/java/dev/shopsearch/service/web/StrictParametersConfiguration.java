package dev.shopsearch.service.web;

import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.QueryParameter;
import java.util.ArrayList;
import java.util.List;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Unknown parameters of {@code /v1/**} are refused ({@link StrictParameters}); parameter aliases
 * ({@link ParameterAliases}) appear in the OpenAPI description beside the parameter they stand for.
 */
@Configuration(proxyBeanMethods = false)
class StrictParametersConfiguration implements WebMvcConfigurer {

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(new StrictParameters()).addPathPatterns("/v1/**");
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
}
