package io.tollgate.marketplace.problem;

import java.util.LinkedHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * One error contract: every error the API answers is {@code application/problem+json} with a type from
 * {@link ProblemType} under the configured base, its fixed title, and a detail saying what to do.
 */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {
    private final ProblemProperties properties;

    ProblemAdvice(ProblemProperties properties) {
        this.properties = properties;
    }

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<Object> apiProblem(ApiProblem problem, WebRequest request) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(problem.type().status(), problem.getMessage());
        problem.members().forEach(body::setProperty);
        return handleExceptionInternal(
                problem, body, new HttpHeaders(), problem.type().status(), request);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        var fields = new LinkedHashMap<String, String>();
        ex.getBindingResult()
                .getFieldErrors()
                .forEach(error -> fields.putIfAbsent(error.getField(), error.getDefaultMessage()));
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, "fix the fields named in 'errors'");
        body.setProperty("errors", fields);
        return handleExceptionInternal(ex, body, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(
                status, "the request body is not the JSON this endpoint expects: " + rootMessage(ex));
        body.setType(properties.typeOf(ProblemType.MALFORMED_REQUEST));
        body.setTitle(ProblemType.MALFORMED_REQUEST.title());
        return super.handleExceptionInternal(ex, body, headers, status, request);
    }

    @ExceptionHandler(jakarta.validation.ConstraintViolationException.class)
    ResponseEntity<Object> constraintViolation(jakarta.validation.ConstraintViolationException ex, WebRequest request) {
        var fields = new LinkedHashMap<String, String>();
        ex.getConstraintViolations()
                .forEach(v -> fields.putIfAbsent(String.valueOf(v.getPropertyPath()), v.getMessage()));
        ProblemDetail body = ProblemDetail.forStatusAndDetail(
                ProblemType.INVALID_REQUEST.status(), "fix the fields named in 'errors'");
        body.setProperty("errors", fields);
        return handleExceptionInternal(ex, body, new HttpHeaders(), ProblemType.INVALID_REQUEST.status(), request);
    }

    /** A unique key taken by a concurrent request between our check and our insert: a conflict, not a failure. */
    @ExceptionHandler(org.springframework.dao.DuplicateKeyException.class)
    ResponseEntity<Object> duplicate(Exception ex, WebRequest request) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(
                ProblemType.CONFLICT.status(),
                "what you create exists already (another request made it a moment ago): choose another name or reload");
        return handleExceptionInternal(ex, body, new HttpHeaders(), ProblemType.CONFLICT.status(), request);
    }

    @ExceptionHandler(org.springframework.dao.DataIntegrityViolationException.class)
    ResponseEntity<Object> integrity(org.springframework.dao.DataIntegrityViolationException ex, WebRequest request) {
        if (ex.getMostSpecificCause() instanceof java.sql.SQLException sql && "23505".equals(sql.getSQLState())) {
            return duplicate(ex, request); // unique_violation, as Hibernate reports it
        }
        return unexpected(ex, request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception ex, WebRequest request) {
        logger.error("unexpected error", ex);
        ProblemDetail body = ProblemDetail.forStatusAndDetail(
                ProblemType.INTERNAL.status(), "the marketplace failed; the error is logged, try again later");
        return handleExceptionInternal(ex, body, new HttpHeaders(), ProblemType.INTERNAL.status(), request);
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(
            Exception ex, @Nullable Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        ProblemDetail problem = body instanceof ProblemDetail detail
                ? detail
                : ProblemDetail.forStatusAndDetail(statusCode, ex.getMessage());
        ProblemType type = ex instanceof ApiProblem api ? api.type() : ProblemType.forStatus(statusCode.value());
        if (problem.getType() == null || "about:blank".equals(problem.getType().toString())) {
            problem.setType(properties.typeOf(type));
            problem.setTitle(type.title());
        }
        if (request instanceof ServletWebRequest servlet) {
            problem.setInstance(java.net.URI.create(servlet.getRequest().getRequestURI()));
        }
        return super.handleExceptionInternal(ex, problem, headers, statusCode, request);
    }

    private static String rootMessage(Throwable ex) {
        Throwable root = ex;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
