package dev.steward.core;

import java.lang.reflect.Type;
import java.util.List;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * Checks every request body read into a controller parameter for text that cannot be stored and dates that cannot be
 * meant ({@link InputText}), and refuses it with 422 naming each field, before any work is done.
 */
@ControllerAdvice
class RequestBodyChecks extends RequestBodyAdviceAdapter {

    @Override
    public boolean supports(
            MethodParameter parameter, Type targetType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public Object afterBodyRead(
            Object body,
            HttpInputMessage inputMessage,
            MethodParameter parameter,
            Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) {
        if (body instanceof byte[]) {
            return body; // read and checked by its controller (the Segment-compatible API)
        }
        List<FieldError> errors = InputText.problems(body);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return body;
    }
}
