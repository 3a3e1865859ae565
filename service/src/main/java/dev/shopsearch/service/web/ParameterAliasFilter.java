package dev.shopsearch.service.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Makes the query parameters of {@code /v1/**} requests that use an alias ({@link
 * ParameterAliases}, e.g. {@code color=red}) read as the parameter they stand for ({@code
 * colour=red}); values given under both names are combined. A request without an alias in its query
 * string passes untouched (its body, e.g. a multipart upload, is not read here).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class ParameterAliasFilter extends OncePerRequestFilter {

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !request.getRequestURI().startsWith("/v1/");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    chain.doFilter(new Aliased(request), response);
  }

  /** The request with its aliased parameters renamed; computed on first use. */
  private static final class Aliased extends HttpServletRequestWrapper {
    private Map<String, String[]> parameters;

    Aliased(HttpServletRequest request) {
      super(request);
    }

    private Map<String, String[]> parameters() {
      if (parameters == null) {
        Map<String, List<String>> merged = new LinkedHashMap<>();
        super.getParameterMap()
            .forEach(
                (name, values) ->
                    merged
                        .computeIfAbsent(
                            ParameterAliases.ALIASES.getOrDefault(name, name),
                            k -> new ArrayList<>())
                        .addAll(Arrays.asList(values)));
        Map<String, String[]> out = new LinkedHashMap<>();
        merged.forEach((name, values) -> out.put(name, values.toArray(String[]::new)));
        parameters = Collections.unmodifiableMap(out);
      }
      return parameters;
    }

    @Override
    public String getParameter(String name) {
      String[] values = parameters().get(name);
      return values == null || values.length == 0 ? null : values[0];
    }

    @Override
    public Map<String, String[]> getParameterMap() {
      return parameters();
    }

    @Override
    public Enumeration<String> getParameterNames() {
      return Collections.enumeration(parameters().keySet());
    }

    @Override
    public String[] getParameterValues(String name) {
      String[] values = parameters().get(name);
      return values == null ? null : values.clone();
    }
  }
}
