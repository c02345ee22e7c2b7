package io.vigil.pgpool.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live captures of ../shared/fixtures/pgpool (copied under src/test/resources/fixtures): each
 * section ({@code ### title}) of a capture file as the bytes sent and the bytes received.
 */
public final class Captures {

    /**
     * One exchange.
     *
     * @param title the section's title
     * @param sent the bytes the client sent
     * @param received the bytes the watchdog sent back; empty for EOF without a reply
     */
    public record Exchange(String title, byte[] sent, byte[] received) {
    }

    private static final Pattern HEX_LINE = Pattern.compile("^\\s*(>>|<<) [0-9a-f]{8}  ((?:[0-9a-f]{2} {1,2})+)\\s*\\|.*$");

    private Captures() {
    }

    /**
     * @param file a capture file name, e.g. {@code 04_error_cases.txt}
     * @return its exchanges by section title prefix (the text before the first '.', e.g. {@code F};
     *         an empty key for a file without sections)
     */
    public static Map<String, Exchange> load(String file) {
        String text = resource(file);
        Map<String, Exchange> out = new LinkedHashMap<>();
        String title = "";
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        for (String line : (text + "\n### end\n").split("\n")) {
            if (line.startsWith("### ")) {
                if (!title.isEmpty() || sent.size() > 0) {
                    out.put(key(title), new Exchange(title, sent.toByteArray(), received.toByteArray()));
                }
                title = line.substring(4).trim();
                sent.reset();
                received.reset();
                continue;
            }
            Matcher m = HEX_LINE.matcher(line);
            if (m.matches()) {
                ByteArrayOutputStream target = m.group(1).equals(">>") ? sent : received;
                for (String h : m.group(2).trim().split("\\s+")) {
                    target.write(Integer.parseInt(h, 16));
                }
            }
        }
        return out;
    }

    /**
     * @param file a proxy log ({@code proxy_wd_cli*.log})
     * @param connection the connection number
     * @param clientToServer the direction
     * @return the bytes of that connection in that direction
     */
    public static byte[] proxy(String file, int connection, boolean clientToServer) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        boolean in = false;
        String header = "## conn " + connection + " " + (clientToServer ? "c2s" : "s2c");
        for (String line : resource(file).split("\n")) {
            if (line.startsWith("## ")) {
                in = line.startsWith(header + " ");
                continue;
            }
            Matcher m = HEX_LINE.matcher(line);
            if (in && m.matches()) {
                for (String h : m.group(2).trim().split("\\s+")) {
                    b.write(Integer.parseInt(h, 16));
                }
            }
        }
        return b.toByteArray();
    }

    private static String key(String title) {
        int dot = title.indexOf('.');
        return dot < 0 ? title : title.substring(0, dot);
    }

    private static String resource(String file) {
        try (InputStream in = Captures.class.getResourceAsStream("/fixtures/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("fixture " + file + " is missing from src/test/resources/fixtures");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
