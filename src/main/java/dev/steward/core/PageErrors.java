package dev.steward.core;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.servlet.ModelAndView;

/** Errors on pages as pages: a missing account is a 404 page with a way back, not a stack trace. */
@ControllerAdvice(annotations = Controller.class)
class PageErrors {

    @ExceptionHandler
    @ResponseStatus(HttpStatus.NOT_FOUND)
    ModelAndView onNotFound(NotFoundException e) {
        return page(HttpStatus.NOT_FOUND, "Not found", e.getMessage());
    }

    @ExceptionHandler
    @ResponseStatus(HttpStatus.FORBIDDEN)
    ModelAndView onOutsideBook(OutsideBookException e) {
        return page(HttpStatus.FORBIDDEN, "Outside your book", e.getMessage());
    }

    @ExceptionHandler
    @ResponseStatus(HttpStatus.BAD_REQUEST)
    ModelAndView onInvalidInput(InvalidInputException e) {
        return page(HttpStatus.BAD_REQUEST, "That did not work", e.getMessage());
    }

    /** A form or link without a parameter the page needs, or with one of the wrong type. */
    @ExceptionHandler({
        org.springframework.web.bind.ServletRequestBindingException.class,
        org.springframework.web.method.annotation.MethodArgumentTypeMismatchException.class
    })
    @ResponseStatus(HttpStatus.BAD_REQUEST)
    ModelAndView onMissingParameter(Exception e) {
        return page(HttpStatus.BAD_REQUEST, "That did not work", e.getMessage());
    }

    @ExceptionHandler
    @ResponseStatus(HttpStatus.BAD_REQUEST)
    ModelAndView onBadRequest(BadRequestException e) {
        return page(HttpStatus.BAD_REQUEST, "That did not work", e.getMessage());
    }

    /** A defect: 500 with a correlation id that the log line with the stack trace repeats; 503 if the database is down. */
    @ExceptionHandler
    ModelAndView onUnexpected(Exception e, HttpServletRequest request, HttpServletResponse response) throws Exception {
        if (e instanceof AccessDeniedException || e instanceof AuthenticationException) {
            throw e; // Spring Security answers these
        }
        if (DatabaseUnavailable.causes(e)) {
            response.setHeader(HttpHeaders.RETRY_AFTER, Integer.toString(DatabaseUnavailable.RETRY_AFTER_SECONDS));
            return page(HttpStatus.SERVICE_UNAVAILABLE, "Database unavailable", DatabaseUnavailable.DETAIL);
        }
        ModelAndView page = page(HttpStatus.INTERNAL_SERVER_ERROR, "Something went wrong", null);
        page.addObject("correlationId", UnexpectedErrors.logged(request.getMethod(), request.getRequestURI(), e));
        return page;
    }

    static ModelAndView page(HttpStatus status, String title, String detail) {
        ModelAndView page = new ModelAndView("error", status);
        page.addObject("status", status.value());
        page.addObject("error", title);
        page.addObject("message", detail);
        return page;
    }
}
