package io.intentstream.streams.errors;

/**
 * A fault that concerns the whole instance, not one record (the model cannot be loaded or returns
 * vectors of the wrong dimension): the instance stops rather than dead-letter every record.
 */
public class FatalServiceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public FatalServiceException(String message, Throwable cause) {
        super(message, cause);
    }

    public FatalServiceException(String message) {
        super(message);
    }
}
