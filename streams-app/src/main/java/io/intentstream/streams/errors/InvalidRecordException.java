package io.intentstream.streams.errors;

/** One record is unusable (empty text, unknown intent, ...); it goes to the dead-letter topic with {@link #reason()}. */
public final class InvalidRecordException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    public InvalidRecordException(String reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
