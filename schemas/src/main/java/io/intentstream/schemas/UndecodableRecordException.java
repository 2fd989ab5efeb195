package io.intentstream.schemas;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Bytes that cannot be read as the expected Avro record: not single-object encoded, written with a
 * schema this process does not know, or a body that does not match its schema.
 *
 * <p>It concerns one record only: the service sends that record to the dead-letter topic with
 * {@link #reason()} in its headers and carries on.
 */
public final class UndecodableRecordException extends SerializationException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    public UndecodableRecordException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /**
     * One of {@link DeadLetters#REASON_BAD_HEADER}, {@link DeadLetters#REASON_UNKNOWN_SCHEMA},
     * {@link DeadLetters#REASON_CORRUPT_BODY}.
     */
    public String reason() {
        return reason;
    }
}
