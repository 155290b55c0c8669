package dev.steward.core;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipException;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;

/**
 * Every API error as an RFC 9457 problem detail. Input errors carry {@code errors}: a list naming the record, the
 * field and the reason, so a client can fix exactly what was wrong.
 */
@RestControllerAdvice(annotations = org.springframework.web.bind.annotation.RestController.class)
class ApiProblems extends ResponseEntityExceptionHandler {

    static final String TYPE_BASE = "https://steward.dev/problems/";

    static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + type));
        problem.setTitle(title);
        return problem;
    }

    static ProblemDetail invalid(HttpStatus status, String type, String title, List<FieldError> errors) {
        String detail = errors.size() == 1
                ? errors.get(0).toString()
                : errors.size() + " problems: "
                        + errors.stream().limit(5).map(FieldError::toString).toList() + (errors.size() > 5 ? " …" : "");
        ProblemDetail problem = problem(status, type, title, detail);
        problem.setProperty("errors", errors);
        return problem;
    }

    @ExceptionHandler
    ProblemDetail onAtomicBulkRefused(BulkUpserts.AtomicBulkRefused e) {
        ProblemDetail problem = invalid(
                HttpStatus.UNPROCESSABLE_CONTENT,
                "bulk-refused",
                "Bulk request refused; nothing was written",
                e.errors());
        problem.setProperty("result", e.result());
        return problem;
    }

    @ExceptionHandler
    ProblemDetail onInvalidInput(InvalidInputException e) {
        return invalid(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-input", "Invalid input", e.errors());
    }

    @ExceptionHandler
    ProblemDetail onNotFound(NotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail onOutsideBook(OutsideBookException e) {
        ProblemDetail problem = problem(HttpStatus.FORBIDDEN, "outside-book", "Outside your book", e.getMessage());
        if (e.account() != null) {
            problem.setProperty("account", e.account());
        }
        return problem;
    }

    @ExceptionHandler
    ProblemDetail onConflict(ConflictException e) {
        return e.preconditionFailed()
                ? problem(HttpStatus.PRECONDITION_FAILED, "stale-version", "Changed by someone else", e.getMessage())
                : problem(HttpStatus.CONFLICT, "conflict", "Conflict", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail onMissingIfMatch(Versions.PreconditionRequiredException e) {
        return problem(HttpStatus.PRECONDITION_REQUIRED, "if-match-required", "If-Match required", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail onBadRequest(BadRequestException e) {
        if (e.error() != null) {
            return invalid(HttpStatus.BAD_REQUEST, "invalid-parameter", "Invalid parameter", List.of(e.error()));
        }
        return problem(HttpStatus.BAD_REQUEST, "bad-request", "Bad request", e.getMessage());
    }

    /** A body sent with {@code Content-Encoding: gzip} that is not gzip. */
    @ExceptionHandler
    ProblemDetail onNotGzip(ZipException e) {
        return invalid(
                HttpStatus.BAD_REQUEST,
                "malformed-request",
                "Malformed request",
                List.of(FieldError.of(null, "the body is not gzip-compressed, though Content-Encoding says gzip")));
    }

    /**
     * Anything else is a defect of Steward, not of the request: 500 with a correlation id that the log line with the
     * stack trace repeats. Unless the database cannot be reached: then 503, to be tried again.
     */
    @ExceptionHandler
    ResponseEntity<ProblemDetail> onUnexpected(Exception e, HttpServletRequest request) throws Exception {
        if (e instanceof AccessDeniedException || e instanceof AuthenticationException) {
            throw e; // Spring Security answers these
        }
        if (DatabaseUnavailable.causes(e)) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, Integer.toString(DatabaseUnavailable.RETRY_AFTER_SECONDS))
                    .body(problem(
                            HttpStatus.SERVICE_UNAVAILABLE,
                            "database-unavailable",
                            "Database unavailable",
                            DatabaseUnavailable.DETAIL));
        }
        String id = UnexpectedErrors.logged(request.getMethod(), request.getRequestURI(), e);
        ProblemDetail problem = problem(
                HttpStatus.INTERNAL_SERVER_ERROR,
                "internal-error",
                "Internal error",
                "Steward failed to answer this request; the log has the details under correlation id " + id);
        problem.setProperty("correlationId", id);
        return ResponseEntity.internalServerError().body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (RequestLimits.causedByTooLarge(e)) {
            return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
                    .body(problem(
                            HttpStatus.CONTENT_TOO_LARGE,
                            "too-large",
                            "Content too large",
                            e.getMostSpecificCause().getMessage()));
        }
        FieldError error = e.getCause() instanceof JacksonException jackson
                ? JsonErrors.describe(jackson)
                : FieldError.of(null, "the request body is missing or is not valid JSON");
        return ResponseEntity.badRequest()
                .body(invalid(HttpStatus.BAD_REQUEST, "malformed-request", "Malformed request", List.of(error)));
    }

    /** A path segment or parameter of the wrong type: which one, what was sent, and what it must be. */
    @Override
    protected ResponseEntity<Object> handleTypeMismatch(
            TypeMismatchException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String name =
                e instanceof MethodArgumentTypeMismatchException argument ? argument.getName() : e.getPropertyName();
        FieldError error = FieldError.of(name, "'" + e.getValue() + "' is not " + expected(e.getRequiredType()));
        return ResponseEntity.badRequest()
                .body(invalid(HttpStatus.BAD_REQUEST, "invalid-parameter", "Invalid parameter", List.of(error)));
    }

    /** What a value of this type is written as, in words. */
    static String expected(Class<?> type) {
        if (type == null) {
            return "of the expected type";
        }
        if (type == java.util.UUID.class || type.getSimpleName().endsWith("Id")) {
            return "an id (a UUID such as 3f1e0c9a-5b7d-4c2e-9a1f-0d2b4c6e8f10)";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class || type == java.math.BigDecimal.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == java.time.LocalDate.class) {
            return "a day written yyyy-MM-dd";
        }
        if (type == java.time.Instant.class || type == java.time.OffsetDateTime.class) {
            return "a time written as ISO-8601, such as 2026-12-01T09:30:00Z";
        }
        if (type.isEnum()) {
            return "one of "
                    + java.util.Arrays.stream(type.getEnumConstants())
                            .map(c -> ((Enum<?>) c).name().toLowerCase(java.util.Locale.ROOT))
                            .collect(java.util.stream.Collectors.joining(", "));
        }
        return "a " + type.getSimpleName();
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(
            MissingServletRequestParameterException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        FieldError error = FieldError.of(e.getParameterName(), "is required");
        return ResponseEntity.badRequest()
                .body(invalid(HttpStatus.BAD_REQUEST, "invalid-parameter", "Invalid parameter", List.of(error)));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(
            HttpMediaTypeNotSupportedException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String sent = e.getContentType() == null ? "no Content-Type" : "Content-Type " + e.getContentType();
        return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .headers(headers)
                .body(problem(
                        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                        "unsupported-media-type",
                        "Unsupported media type",
                        "This endpoint reads " + types(e.getSupportedMediaTypes()) + "; the request was sent with "
                                + sent));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotAcceptable(
            HttpMediaTypeNotAcceptableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return ResponseEntity.status(HttpStatus.NOT_ACCEPTABLE)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem(
                        HttpStatus.NOT_ACCEPTABLE,
                        "not-acceptable",
                        "Not acceptable",
                        "This endpoint answers " + types(e.getSupportedMediaTypes()) + "; the Accept header asked for "
                                + request.getHeader(HttpHeaders.ACCEPT)));
    }

    private static String types(List<MediaType> types) {
        return types.isEmpty()
                ? "nothing of that kind"
                : types.stream().map(MediaType::toString).distinct().collect(java.util.stream.Collectors.joining(", "));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldError> errors = new ArrayList<>();
        e.getBindingResult()
                .getFieldErrors()
                .forEach(f -> errors.add(FieldError.of(f.getField(), f.getDefaultMessage())));
        e.getBindingResult().getGlobalErrors().forEach(g -> errors.add(FieldError.of(null, g.getDefaultMessage())));
        return ResponseEntity.unprocessableContent()
                .body(invalid(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-input", "Invalid input", errors));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldError> errors = new ArrayList<>();
        e.getParameterValidationResults()
                .forEach(result -> result.getResolvableErrors()
                        .forEach(error -> errors.add(FieldError.of(
                                result.getMethodParameter().getParameterName(), error.getDefaultMessage()))));
        return ResponseEntity.badRequest()
                .body(invalid(HttpStatus.BAD_REQUEST, "invalid-parameter", "Invalid parameter", errors));
    }
}
