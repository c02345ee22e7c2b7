package io.vigil.healthcheck.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GGHealthCheck.ini}: section {@code [default]} with {@code key = value} lines; {@code ;} and
 * {@code #} start comment lines; a value may be quoted. Every key must be one of {@link Settings#KEYS}.
 */
public final class IniFile {

    /** The only section. */
    public static final String SECTION = "default";

    private IniFile() {
    }

    /**
     * @param file the file
     * @return its keys (canonical spelling) and values
     * @throws IOException if it cannot be read
     * @throws IllegalArgumentException naming the file, the line and what was expected
     */
    public static Map<String, String> read(Path file) throws IOException {
        return parse(file.toString(), Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    /**
     * @param source the file's name, for messages
     * @param lines its lines
     * @return its keys (canonical spelling) and values
     * @throws IllegalArgumentException naming the source, the line and what was expected
     */
    public static Map<String, String> parse(String source, List<String> lines) {
        Map<String, String> values = new LinkedHashMap<>();
        boolean inDefault = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            String where = source + " line " + (i + 1) + ": ";
            if (line.isEmpty() || line.startsWith(";") || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[")) {
                if (!line.endsWith("]")) {
                    throw new IllegalArgumentException(where + "'" + line + "' is not a section header; expected [" + SECTION + "]");
                }
                String section = line.substring(1, line.length() - 1).strip();
                if (!section.equalsIgnoreCase(SECTION)) {
                    throw new IllegalArgumentException(where + "section [" + section + "] is unknown; expected [" + SECTION + "]");
                }
                inDefault = true;
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(where + "'" + line + "' is not a setting; expected key = value");
            }
            if (!inDefault) {
                throw new IllegalArgumentException(where + "a setting before [" + SECTION + "]; expected it inside [" + SECTION + "]");
            }
            String key;
            try {
                key = Settings.canonicalKey(line.substring(0, eq).strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + e.getMessage(), e);
            }
            if (values.put(key, unquote(line.substring(eq + 1).strip())) != null) {
                throw new IllegalArgumentException(where + key + " is set twice; expected each key once");
            }
        }
        return values;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }
}
