package io.intentstream.encoder;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Parses an enum option written in lower case (e.g. {@code fp32}), case-insensitively. */
final class EnumOption {

    private EnumOption() {}

    /**
     * @param what the option's name, for the error message
     * @throws IllegalArgumentException naming the values {@code type} accepts
     */
    static <E extends Enum<E>> E parse(Class<E> type, String what, String value) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            String names =
                    Arrays.stream(type.getEnumConstants())
                            .map(c -> c.name().toLowerCase(Locale.ROOT))
                            .collect(Collectors.joining(", "));
            throw new IllegalArgumentException(
                    what + " must be one of " + names + "; got '" + value + "'");
        }
    }
}
