package io.hepstack.enricher;

import io.dropwizard.validation.BaseValidator;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import java.util.List;

/**
 * Runs the Bean Validation constraints of a configuration object (jakarta.validation annotations,
 * Hibernate Validator as Dropwizard sets it up) outside Dropwizard's start-up, e.g. when the enricher
 * is built on its own. Problems read as Dropwizard prints them: "path message".
 */
public final class ConfigValidation {

    private static final Validator VALIDATOR = BaseValidator.newValidator();

    private ConfigValidation() {
    }

    public static Validator validator() {
        return VALIDATOR;
    }

    /** The problems of {@code bean}, each "prefix.path message", sorted; empty when valid. */
    public static List<String> problems(Object bean, String prefix) {
        if (bean == null) {
            return List.of();
        }
        return VALIDATOR.validate(bean).stream()
                .map(v -> format(v, prefix))
                .sorted()
                .toList();
    }

    static String format(ConstraintViolation<?> v, String prefix) {
        String path = v.getPropertyPath().toString();
        String full = prefix == null || prefix.isEmpty() ? path : path.isEmpty() ? prefix : prefix + "." + path;
        return full + " " + v.getMessage();
    }
}
