package dev.shopsearch.service.web;

import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.Container;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tomcat's error report as {@code application/problem+json} instead of an HTML page, for what
 * Tomcat refuses before the application sees the request: a malformed request line or header,
 * invalid characters or {@code %} escapes in the request target, an unsupported HTTP version, an
 * oversized header. Errors inside the application are forwarded to {@code /error} ({@link
 * ProblemErrorController}) and never get here.
 *
 * <p>The body has {@code title}, {@code status} and, for 4xx, Tomcat's reason as {@code detail}
 * (first line, at most {@value #MAX_DETAIL} characters); no stack trace, no server version.
 */
final class ProblemReportValve extends ErrorReportValve {
  /** Longest {@code detail} written; Tomcat's messages may quote the request target. */
  static final int MAX_DETAIL = 300;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * Puts a {@code ProblemReportValve} in the host's pipeline in place of every other error report
   * valve, and makes it the host's error report valve class so that none is added at start.
   */
  static void install(Container host) {
    for (Valve valve : host.getPipeline().getValves()) {
      if (valve instanceof ErrorReportValve && !(valve instanceof ProblemReportValve)) {
        host.getPipeline().removeValve(valve);
      }
    }
    if (host instanceof StandardHost h) {
      h.setErrorReportValveClass(ProblemReportValve.class.getName());
    }
    for (Valve valve : host.getPipeline().getValves()) {
      if (valve instanceof ProblemReportValve) {
        return;
      }
    }
    host.getPipeline().addValve(new ProblemReportValve());
  }

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    AtomicBoolean ioAllowed = new AtomicBoolean(true);
    response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
    if (!ioAllowed.get()) {
      return;
    }
    HttpStatus known = HttpStatus.resolve(status);
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("title", known == null ? "HTTP " + status : known.getReasonPhrase());
    problem.put("status", status);
    String detail = status < 500 ? detail(response.getMessage(), throwable) : null;
    if (detail != null) {
      problem.put("detail", detail);
    }
    try {
      response.setContentType("application/problem+json");
      response.setCharacterEncoding("UTF-8");
      Writer writer = response.getReporter();
      if (writer != null) {
        writer.write(JSON.writeValueAsString(problem));
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException e) {
      // the client is gone or the response cannot be written any more: nothing to report to
    }
  }

  private static String detail(String message, Throwable throwable) {
    String m = message;
    if ((m == null || m.isBlank()) && throwable != null) {
      m = throwable.getMessage();
    }
    if (m == null || m.isBlank()) {
      return null;
    }
    int nl = m.indexOf('\n');
    m = nl < 0 ? m : m.substring(0, nl);
    return m.length() > MAX_DETAIL ? m.substring(0, MAX_DETAIL) + "…" : m;
  }
}
