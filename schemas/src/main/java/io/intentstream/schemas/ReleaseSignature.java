package io.intentstream.schemas;

import io.intentstream.avro.ModelRelease;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks a {@link ModelRelease}: HMAC-SHA256 under a key the trainers and the services
 * share (from the environment, never logged), over everything that decides what a service serves
 * and how: version, parent, model URI, the weights' sha256, the announcement sequence, the scoring
 * neighbours and the fitted thresholds. Without it, whoever can write to the models topic decides
 * which files every instance loads, since the sha256 travels in the same record.
 */
public final class ReleaseSignature {

    private static final String ALGORITHM = "HmacSHA256";

    private ReleaseSignature() {}

    /** The hex signature of {@code release} under {@code key}. */
    public static String sign(ModelRelease release, String key) {
        return HexFormat.of().formatHex(mac(key).doFinal(content(release)));
    }

    /** Whether {@code release} carries a valid signature under {@code key}. */
    public static boolean verify(ModelRelease release, String key) {
        if (release.getSignature() == null) {
            return false;
        }
        byte[] expected = mac(key).doFinal(content(release));
        byte[] given;
        try {
            given = HexFormat.of().parseHex(release.getSignature());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(expected, given);
    }

    // One field a line, thresholds sorted by intent: the same release always gives the same bytes.
    static byte[] content(ModelRelease r) {
        StringBuilder out = new StringBuilder("intent-stream release v1\n");
        out.append(r.getVersion()).append('\n');
        out.append(r.getParentVersion()).append('\n');
        out.append(r.getModelUri()).append('\n');
        out.append(r.getSha256()).append('\n');
        out.append(r.getSequence()).append('\n');
        out.append(r.getNeighbours()).append('\n');
        Map<String, Float> thresholds = new TreeMap<>();
        r.getThresholds().forEach((k, v) -> thresholds.put(k.toString(), v));
        thresholds.forEach(
                (k, v) ->
                        out.append(k.length())
                                .append(':')
                                .append(k)
                                .append('=')
                                .append(Float.floatToIntBits(v))
                                .append('\n'));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Mac mac(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("a signing key must not be empty");
        }
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has " + ALGORITHM, e);
        }
    }
}
