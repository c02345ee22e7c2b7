package io.vigil.cluster.local;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.api.cluster.StoreEntry;
import io.vigil.api.cluster.StoreKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The store's file format, one JSON document:
 *
 * <pre>
 * {
 *   "format" : 1,
 *   "revision" : 42,
 *   "node" : "node-1",
 *   "entries" : [ { "key" : "groups/web-rg", "version" : 3, "value" : "eyJ...(base64)" } ]
 * }
 * </pre>
 *
 * Entries are written in key order. Reading is strict: any field missing, unknown, repeated or of the wrong
 * kind makes the document invalid, with a message that says where and what was expected.
 */
final class StoreDocument {

    /** The version of the layout. */
    static final int FORMAT = 1;

    private static final String FORMAT_FIELD = "format";
    private static final String REVISION = "revision";
    private static final String NODE = "node";
    private static final String ENTRIES = "entries";
    private static final String KEY = "key";
    private static final String VERSION = "version";
    private static final String VALUE = "value";
    private static final String DOCUMENT = "the document";

    private final ObjectMapper mapper = new ObjectMapper(
            JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    /**
     * @param state a state
     * @return its document
     * @throws IOException never, in practice: the document is written to memory
     */
    byte[] write(Snapshot state) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = mapper.createGenerator(out)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeNumberField(FORMAT_FIELD, FORMAT);
            json.writeNumberField(REVISION, state.revision());
            json.writeStringField(NODE, state.node());
            json.writeArrayFieldStart(ENTRIES);
            for (StoreEntry e : state.entries().values()) {
                json.writeStartObject();
                json.writeStringField(KEY, e.key());
                json.writeNumberField(VERSION, e.version());
                json.writeBinaryField(VALUE, e.value());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeRaw('\n');
        }
        return out.toByteArray();
    }

    /**
     * @param bytes a document
     * @return the state it holds
     * @throws IllegalArgumentException if it is not a valid document, saying where and what is wrong
     */
    Snapshot read(byte[] bytes) {
        if (bytes.length == 0) {
            throw new IllegalArgumentException("it is empty");
        }
        JsonNode doc;
        try (JsonParser parser = mapper.createParser(bytes)) {
            doc = mapper.readTree(parser);
            if (doc == null) {
                throw new IllegalArgumentException("it holds no JSON document");
            }
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("there is more text after the document, at "
                        + where(parser.currentTokenLocation()));
            }
        } catch (JsonProcessingException e) {
            // Jackson names its input "[Source: REDACTED (...); line: 1, column: 5]": keep only line and column
            String message = e.getOriginalMessage().replaceAll("\\[Source: [^;\\]]*; ([^\\]]*)\\]", "$1");
            throw new IllegalArgumentException(
                    message + (e.getLocation() == null ? "" : ", at " + where(e.getLocation())), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.toString(), e); // not from a byte array
        }
        return toSnapshot(doc);
    }

    private static String where(JsonLocation at) {
        return "line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    private static Snapshot toSnapshot(JsonNode doc) {
        fields(doc, DOCUMENT, FORMAT_FIELD, REVISION, NODE, ENTRIES);
        long format = whole(doc, FORMAT_FIELD, DOCUMENT);
        if (format != FORMAT) {
            throw new IllegalArgumentException("its format is " + format + ", expected " + FORMAT);
        }
        long revision = whole(doc, REVISION, DOCUMENT);
        if (revision < 0) {
            throw new IllegalArgumentException("its revision is " + revision + ", expected 0 or more");
        }
        String node = text(doc, NODE, DOCUMENT);
        JsonNode list = doc.get(ENTRIES);
        if (!list.isArray()) {
            throw new IllegalArgumentException(DOCUMENT + " has " + ENTRIES + " " + shown(list) + ", expected an array");
        }
        NavigableMap<String, StoreEntry> entries = new TreeMap<>();
        for (int i = 0; i < list.size(); i++) {
            StoreEntry entry = toEntry(list.get(i), "entry " + (i + 1));
            if (entries.put(entry.key(), entry) != null) {
                throw new IllegalArgumentException("entry " + (i + 1) + " repeats key " + entry.key()
                        + ", expected each key once");
            }
        }
        return new Snapshot(revision, node, entries);
    }

    private static StoreEntry toEntry(JsonNode e, String where) {
        fields(e, where, KEY, VERSION, VALUE);
        String key = text(e, KEY, where);
        String problem = StoreKeys.problem(key);
        if (problem != null) {
            throw new IllegalArgumentException(where + " has key " + StoreKeys.quote(key) + ": " + problem + "; expected "
                    + StoreKeys.KEY_SYNTAX);
        }
        String named = where + " (key " + key + ")";
        long version = whole(e, VERSION, named);
        if (version < 1) {
            throw new IllegalArgumentException(named + " has version " + version + ", expected 1 or more");
        }
        try {
            return new StoreEntry(key, Base64.getDecoder().decode(text(e, VALUE, named)), version);
        } catch (IllegalArgumentException notBase64) {
            throw new IllegalArgumentException(named + " has a value that is not base64 (" + notBase64.getMessage()
                    + ")", notBase64);
        }
    }

    /** Checks that a node is an object with exactly the named fields. */
    private static void fields(JsonNode node, String where, String... names) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + " is " + shown(node) + ", expected an object with fields "
                    + String.join(", ", names));
        }
        List<String> expected = List.of(names);
        List<String> unknown = new ArrayList<>();
        node.fieldNames().forEachRemaining(name -> {
            if (!expected.contains(name)) {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(where + " has unknown fields " + unknown + ", expected only "
                    + String.join(", ", names));
        }
        for (String name : names) {
            if (!node.has(name)) {
                throw new IllegalArgumentException(where + " has no " + name);
            }
        }
    }

    private static long whole(JsonNode parent, String name, String where) {
        JsonNode value = parent.get(name);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new IllegalArgumentException(where + " has " + name + " " + shown(value) + ", expected a whole number");
        }
        return value.longValue();
    }

    private static String text(JsonNode parent, String name, String where) {
        JsonNode value = parent.get(name);
        if (!value.isTextual()) {
            throw new IllegalArgumentException(where + " has " + name + " " + shown(value) + ", expected a string");
        }
        return value.textValue();
    }

    /** A JSON value for a message, shortened when long. */
    private static String shown(JsonNode value) {
        String text = value.toString();
        return text.length() > 40 ? text.substring(0, 37) + "..." : text;
    }
}
