package dev.steward.core;

import org.springframework.http.HttpStatus;
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
    @ResponseStatus(HttpStatus.BAD_REQUEST)
    ModelAndView onInvalidInput(InvalidInputException e) {
        return page(HttpStatus.BAD_REQUEST, "That did not work", e.getMessage());
    }

    private static ModelAndView page(HttpStatus status, String title, String detail) {
        ModelAndView page = new ModelAndView("error");
        page.addObject("status", status.value());
        page.addObject("error", title);
        page.addObject("message", detail);
        return page;
    }
}
