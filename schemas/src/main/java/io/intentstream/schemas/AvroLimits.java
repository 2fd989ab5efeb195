package io.intentstream.schemas;

import java.lang.reflect.Method;
import org.apache.avro.SystemLimitException;

/**
 * Bounds what one Avro record may make a reader allocate before it is rejected. A record's header
 * can declare a string, bytes or array length of up to 2^31: without a bound, decoding a 21-byte
 * record that declares a 2 GB text allocates 2 GB first. Avro reads its limits once, from system
 * properties, when {@link SystemLimitException} is first used; {@link AvroSerde} installs these
 * defaults before it decodes anything (and has Avro read them again, should anything have decoded
 * earlier), and an operator's own {@code -D} settings win.
 */
public final class AvroLimits {

    /**
     * Longest string or bytes value a record may declare: well above any record Kafka accepts by
     * default.
     */
    public static final int MAX_LENGTH = 16 * 1024 * 1024;

    /** Most items an array or map may declare. */
    public static final int MAX_ITEMS = 1_000_000;

    private AvroLimits() {}

    /** Installs the defaults where no limit is set yet; idempotent. */
    static void installDefaults() {
        setIfAbsent(SystemLimitException.MAX_STRING_LENGTH_PROPERTY, MAX_LENGTH);
        setIfAbsent(SystemLimitException.MAX_BYTES_LENGTH_PROPERTY, MAX_LENGTH);
        setIfAbsent(SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY, MAX_ITEMS);
        rereadLimits();
    }

    // Avro reads the properties when SystemLimitException is initialised, which anything that
    // decoded before us may have done with the properties unset; its package-private
    // resetLimits() reads them again.
    private static void rereadLimits() {
        try {
            Method reset = SystemLimitException.class.getDeclaredMethod("resetLimits");
            reset.setAccessible(true);
            reset.invoke(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException(
                    "cannot apply Avro's decoding limits; set the "
                            + SystemLimitException.MAX_STRING_LENGTH_PROPERTY
                            + " family of system properties at start-up",
                    e);
        }
    }

    private static void setIfAbsent(String property, int value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, Integer.toString(value));
        }
    }
}
