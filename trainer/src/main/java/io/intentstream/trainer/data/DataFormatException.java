package io.intentstream.trainer.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A data file that cannot be read as the expected format; the message names file, line and column.
 */
public final class DataFormatException extends IOException {

    public DataFormatException(Path file, long line, String column, String problem) {
        super(
                file
                        + ":"
                        + line
                        + (column == null ? "" : " column '" + column + "'")
                        + ": "
                        + problem);
    }
}
