package io.hepstack.enricher;

import java.util.List;

/** The enricher could not be built: bad configuration, or a rate table or blacklist that does not load. */
public class EnricherException extends Exception {

    private final List<String> problems;

    public EnricherException(List<String> problems) {
        super("enricher configuration: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public EnricherException(String message, Throwable cause) {
        super(message, cause);
        this.problems = List.of(message);
    }

    public List<String> problems() {
        return problems;
    }
}
