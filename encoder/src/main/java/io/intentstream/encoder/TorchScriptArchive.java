package io.intentstream.encoder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a TorchScript archive, the zip {@code torch.jit.save} produces, for a module given as
 * TorchScript source whose state holds no tensors: {@code code/__torch__.py} with the class, {@code
 * data.pkl} with the pickled module object, an empty {@code constants.pkl} and the format {@code
 * version}. PyTorch compiles the source when it loads the archive; the module receives its tensors
 * afterwards, through a method call.
 *
 * <p>The pickled state is the module's {@code training} flag (false) and the given attributes, each
 * an empty list, in pickle protocol 2 as PyTorch's own pickler writes it.
 */
final class TorchScriptArchive {

    /** The oldest archive format that holds source code and a pickled module. */
    private static final String FORMAT_VERSION = "3\n";

    private TorchScriptArchive() {}

    /**
     * @param className the module class defined in {@code source}, at the top of {@code __torch__}
     * @param listAttributes attributes of list type the class declares, pickled as empty lists
     */
    static void write(Path file, String className, String source, List<String> listAttributes)
            throws IOException {
        String root = "archive/";
        try (OutputStream os = Files.newOutputStream(file);
                ZipOutputStream zip = new ZipOutputStream(os)) {
            stored(zip, root + "version", FORMAT_VERSION.getBytes(StandardCharsets.US_ASCII));
            stored(zip, root + "code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
            stored(zip, root + "data.pkl", moduleState(className, listAttributes));
            stored(zip, root + "constants.pkl", new byte[] {PROTO, 2, EMPTY_TUPLE, STOP});
        }
    }

    // Pickle opcodes (Python's pickletools).
    private static final byte PROTO = (byte) 0x80;
    private static final byte GLOBAL = 'c';
    private static final byte EMPTY_TUPLE = ')';
    private static final byte NEWOBJ = (byte) 0x81;
    private static final byte EMPTY_DICT = '}';
    private static final byte EMPTY_LIST = ']';
    private static final byte MARK = '(';
    private static final byte BINUNICODE = 'X';
    private static final byte NEWFALSE = (byte) 0x89;
    private static final byte SETITEMS = 'u';
    private static final byte BUILD = 'b';
    private static final byte STOP = '.';

    /**
     * {@code __torch__.className()} with {@code {"training": False, attribute: [], ...}} as its
     * state.
     */
    static byte[] moduleState(String className, List<String> listAttributes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(PROTO);
        out.write(2);
        out.write(GLOBAL);
        out.writeBytes(("__torch__\n" + className + "\n").getBytes(StandardCharsets.US_ASCII));
        out.write(EMPTY_TUPLE);
        out.write(NEWOBJ);
        out.write(EMPTY_DICT);
        out.write(MARK);
        string(out, "training");
        out.write(NEWFALSE);
        for (String attribute : listAttributes) {
            string(out, attribute);
            out.write(EMPTY_LIST);
        }
        out.write(SETITEMS);
        out.write(BUILD);
        out.write(STOP);
        return out.toByteArray();
    }

    private static void string(ByteArrayOutputStream out, String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.write(BINUNICODE);
        out.write(utf8.length & 0xff); // 4-byte little-endian length
        out.write((utf8.length >>> 8) & 0xff);
        out.write((utf8.length >>> 16) & 0xff);
        out.write((utf8.length >>> 24) & 0xff);
        out.writeBytes(utf8);
    }

    /** PyTorch reads archives written without compression. */
    private static void stored(ZipOutputStream zip, String name, byte[] content)
            throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(content);
        zip.closeEntry();
    }
}
