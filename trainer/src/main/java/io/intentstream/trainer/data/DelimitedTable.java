package io.intentstream.trainer.data;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A UTF-8 table with a header row, read whole: {@code .tsv}/{@code .tab} files are split on tabs
 * only, with no quoting (STS-B sentences may begin with a {@code "}); every other file is RFC 4180
 * CSV. Empty lines are skipped. Every problem is reported as a {@link DataFormatException} naming
 * the file, the line and, where there is one, the column.
 */
final class DelimitedTable {

    private final Path file;
    private final List<String> header;
    private final List<Row> rows;

    private DelimitedTable(Path file, List<String> header, List<Row> rows) {
        this.file = file;
        this.header = header;
        this.rows = rows;
    }

    /** One data row and the physical line it starts on. */
    record Row(long line, List<String> fields) {}

    static boolean isTabSeparated(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".tsv") || name.endsWith(".tab");
    }

    static DelimitedTable read(Path file) throws IOException {
        CSVFormat format =
                isTabSeparated(file)
                        ? CSVFormat.Builder.create()
                                .setDelimiter('\t')
                                .setQuote(null)
                                .setEscape(null)
                                .setRecordSeparator('\n')
                                .setIgnoreEmptyLines(true)
                                .get()
                        : CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).get();
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException(file, 0, null, "no such file");
        }
        List<String> header = null;
        List<Row> rows = new ArrayList<>();
        try (CSVParser parser = format.parse(new StringReader(decodeUtf8(file)))) {
            Iterator<CSVRecord> it = parser.iterator();
            while (true) {
                CSVRecord record;
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    record = it.next();
                } catch (UncheckedIOException e) {
                    throw malformed(file, parser.getCurrentLineNumber() + 1, e.getCause());
                }
                List<String> fields = record.toList();
                long line = parser.getCurrentLineNumber() - lineBreaksInside(fields);
                if (header == null) {
                    header = new ArrayList<>(fields);
                    // A byte-order mark would otherwise become part of the first column's name.
                    header.set(0, header.get(0).replace("\uFEFF", "").strip());
                    for (int i = 1; i < header.size(); i++) {
                        header.set(i, header.get(i).strip());
                    }
                    continue;
                }
                if (fields.size() != header.size()) {
                    throw new DataFormatException(
                            file,
                            line,
                            null,
                            "expected "
                                    + header.size()
                                    + (isTabSeparated(file) ? " tab-separated" : "")
                                    + " fields as in the header "
                                    + header
                                    + ", found "
                                    + fields.size());
                }
                rows.add(new Row(line, fields));
            }
        } catch (UncheckedIOException e) {
            throw malformed(file, 0, e.getCause());
        }
        if (header == null) {
            throw new DataFormatException(file, 1, null, "empty file: expected a header row");
        }
        return new DelimitedTable(file, List.copyOf(header), List.copyOf(rows));
    }

    /** The whole file as text; invalid UTF-8 is an error naming the line of the first bad byte. */
    private static String decodeUtf8(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        CharsetDecoder decoder =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            long line = 1;
            for (int i = 0; i < in.position(); i++) {
                line += bytes[i] == '\n' ? 1 : 0;
            }
            throw new DataFormatException(
                    file, line, null, "not valid UTF-8 text (byte " + in.position() + ")");
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    private static DataFormatException malformed(Path file, long line, Throwable cause) {
        return new DataFormatException(file, line, null, "malformed CSV: " + cause.getMessage());
    }

    private static int lineBreaksInside(List<String> fields) {
        int n = 0;
        for (String f : fields) {
            for (int i = 0; i < f.length(); i++) {
                n += f.charAt(i) == '\n' ? 1 : 0;
            }
        }
        return n;
    }

    Path file() {
        return file;
    }

    List<String> header() {
        return header;
    }

    List<Row> rows() {
        return rows;
    }

    /** The index of the first of {@code names} the header has, or an error naming all of them. */
    int column(String... names) throws DataFormatException {
        int i = optionalColumn(names);
        if (i < 0) {
            throw new DataFormatException(
                    file,
                    1,
                    names[0],
                    "header lacks this column"
                            + (names.length > 1
                                    ? " (or "
                                            + String.join(
                                                    ", ", List.of(names).subList(1, names.length))
                                            + ")"
                                    : "")
                            + "; found "
                            + header);
        }
        return i;
    }

    /** The index of the first of {@code names} the header has, or -1. */
    int optionalColumn(String... names) {
        for (String name : names) {
            int i = header.indexOf(name);
            if (i >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** The field of a row, which must not be blank. */
    String text(Row row, int column) throws DataFormatException {
        String value = row.fields().get(column);
        if (value.isBlank()) {
            throw new DataFormatException(file, row.line(), header.get(column), "empty text");
        }
        return value;
    }

    float number(Row row, int column) throws DataFormatException {
        String value = row.fields().get(column).strip();
        try {
            float f = Float.parseFloat(value);
            if (!Float.isFinite(f)) {
                throw new NumberFormatException();
            }
            return f;
        } catch (NumberFormatException e) {
            throw new DataFormatException(
                    file, row.line(), header.get(column), "not a number: '" + value + "'");
        }
    }
}
