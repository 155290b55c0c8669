package dev.steward.core;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Requests that no controller takes: a path that is not there, or a method the path does not take. The API answers
 * them like every other error, as RFC 9457 problem details in sentences; pages answer with the error page. (The
 * advice of {@link ApiProblems} and {@link PageErrors} only reaches requests a controller took.)
 */
@ControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
class UnmatchedRequests {

    @ExceptionHandler
    Object onNoSuchPath(NoResourceFoundException e, HttpServletRequest request) {
        if (isApi(request)) {
            return answer(
                    HttpStatus.NOT_FOUND,
                    "not-found",
                    "Not found",
                    "Steward's API has no " + request.getMethod() + " " + request.getRequestURI()
                            + "; its endpoints are listed at /api/docs",
                    null);
        }
        return PageErrors.page(
                HttpStatus.NOT_FOUND, "Not found", "There is no page at " + request.getRequestURI() + ".");
    }

    @ExceptionHandler
    Object onMethod(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        Set<HttpMethod> supported = e.getSupportedHttpMethods();
        String allowed = supported == null
                ? ""
                : supported.stream().map(HttpMethod::name).sorted().collect(Collectors.joining(", "));
        String detail = request.getRequestURI() + " does not take " + e.getMethod()
                + (allowed.isEmpty() ? "" : "; it takes " + allowed);
        if (isApi(request)) {
            return answer(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed", detail, allowed);
        }
        return PageErrors.page(HttpStatus.METHOD_NOT_ALLOWED, "That did not work", detail + ".");
    }

    private static boolean isApi(HttpServletRequest request) {
        return request.getRequestURI().startsWith(request.getContextPath() + "/api/");
    }

    private static ResponseEntity<Object> answer(
            HttpStatus status, String type, String title, String detail, String allowed) {
        ResponseEntity.BodyBuilder answer =
                ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (allowed != null && !allowed.isEmpty()) {
            answer.header(HttpHeaders.ALLOW, allowed);
        }
        return answer.body(ApiProblems.problem(status, type, title, detail));
    }
}
