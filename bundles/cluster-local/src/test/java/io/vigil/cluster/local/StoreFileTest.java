package io.vigil.cluster.local;

import static io.vigil.api.cluster.StoreOperation.ABSENT;
import static io.vigil.api.cluster.StoreOperation.put;
import static io.vigil.cluster.local.LocalClusterStoreTest.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The store's directory on disk: the document, permissions, crash leftovers and files that must not load. */
class StoreFileTest {

    private static final String VALID = """
            {"format": 1, "revision": 3, "node": "n", "entries": [
              {"key": "groups/a", "version": 2, "value": "YQ=="}
            ]}""";

    @TempDir
    Path tmp;

    private Path dir() {
        return tmp.resolve("cluster").toAbsolutePath();
    }

    private Path write(String name, String text) throws IOException {
        Files.createDirectories(dir());
        return Files.writeString(dir().resolve(name), text);
    }

    @Test
    void theDocumentHoldsRevisionNodeAndEveryEntryInBase64() throws Exception {
        LocalClusterStore store = new LocalClusterStore(dir(), "node-1");
        store.commit(List.of(put("groups/b", new byte[] {0, 1, -2}, ABSENT), put("groups/a", bytes("a"), ABSENT)));
        store.close();

        JsonNode doc = new ObjectMapper().readTree(dir().resolve(StoreFile.LIVE).toFile());
        assertEquals(1, doc.get("format").asInt());
        assertEquals(1, doc.get("revision").asLong());
        assertEquals("node-1", doc.get("node").asText());
        assertEquals(2, doc.get("entries").size());
        JsonNode first = doc.get("entries").get(0);
        assertEquals("groups/a", first.get("key").asText());
        assertEquals(1, first.get("version").asLong());
        assertEquals("YQ==", first.get("value").asText());
        assertArrayEquals(new byte[] {0, 1, -2}, Base64.getDecoder().decode(doc.get("entries").get(1).get("value").asText()));
    }

    @Test
    void aHandWrittenDocumentLoads() throws Exception {
        write(StoreFile.LIVE, VALID);
        LocalClusterStore store = new LocalClusterStore(dir(), "n");
        assertEquals(3, store.revision());
        assertEquals("a", new String(store.get("groups/a").orElseThrow().value(), StandardCharsets.UTF_8));
        assertEquals(2, store.get("groups/a").orElseThrow().version());
        store.close();
    }

    @Test
    void theDirectoryIsOwnerOnlyAndSoAreTheFiles() throws Exception {
        LocalClusterStore store = new LocalClusterStore(dir(), "node-1");
        store.commit(List.of(put("a", bytes("1"), ABSENT)));
        store.commit(List.of(put("a", bytes("2"), 1)));
        store.close();

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir())));
        for (String name : List.of(StoreFile.LIVE, StoreFile.PREVIOUS, StoreFile.LOCK)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir().resolve(name))),
                    name);
        }
    }

    @Test
    void anExistingDirectoryIsMadeOwnerOnly() throws Exception {
        Files.createDirectories(dir());
        Files.setPosixFilePermissions(dir(), PosixFilePermissions.fromString("rwxr-xr-x"));
        new LocalClusterStore(dir(), "node-1").close();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir())));
    }

    @Test
    void thePreviousDocumentIsKept() throws Exception {
        LocalClusterStore store = new LocalClusterStore(dir(), "node-1");
        store.commit(List.of(put("a", bytes("1"), ABSENT)));
        assertFalse(Files.exists(dir().resolve(StoreFile.PREVIOUS)), "the first commit replaces nothing");
        byte[] first = Files.readAllBytes(dir().resolve(StoreFile.LIVE));
        store.commit(List.of(put("a", bytes("2"), 1)));
        assertArrayEquals(first, Files.readAllBytes(dir().resolve(StoreFile.PREVIOUS)));
        byte[] second = Files.readAllBytes(dir().resolve(StoreFile.LIVE));
        store.commit(List.of(put("a", bytes("3"), 2)));
        assertArrayEquals(second, Files.readAllBytes(dir().resolve(StoreFile.PREVIOUS)));
        store.close();
    }

    @Test
    void aTempFileLeftByACrashIsIgnoredAndRemoved() throws Exception {
        write(StoreFile.LIVE, VALID);
        write(StoreFile.TEMP, "{\"format\": 1, \"revision\": 4, \"node\": \"n\", \"entr");

        LocalClusterStore store = new LocalClusterStore(dir(), "n");
        assertEquals(3, store.revision());
        assertFalse(Files.exists(dir().resolve(StoreFile.TEMP)));
        store.close();
    }

    @Test
    void aSecondStoreOnTheSameDirectoryIsRefused() throws Exception {
        LocalClusterStore store = new LocalClusterStore(dir(), "node-1");
        IOException e = assertThrows(IOException.class, () -> new LocalClusterStore(dir(), "node-1"));
        assertEquals("cluster store directory " + dir() + " is in use by another agent (it holds "
                + dir().resolve(StoreFile.LOCK) + "); expected one agent per directory", e.getMessage());
        store.close();
        new LocalClusterStore(dir(), "node-1").close();
    }

    @Test
    void aMissingLiveFileBesideAPreviousOneIsRefused() throws Exception {
        write(StoreFile.PREVIOUS, VALID);
        IOException e = assertThrows(IOException.class, () -> new LocalClusterStore(dir(), "n"));
        assertEquals("cluster store file " + dir().resolve(StoreFile.LIVE) + " is missing but "
                + dir().resolve(StoreFile.PREVIOUS) + " is there; expected both or neither. Restore store.json "
                + "(e.g. from store.json.prev, the state before the last commit) or remove both to start empty",
                e.getMessage());
        assertFalse(Files.exists(dir().resolve(StoreFile.LIVE)));
    }

    static Stream<Arguments> corrupt() {
        return Stream.of(
                Arguments.of("empty", "", "it is empty"),
                Arguments.of("blank", " \n", "it holds no JSON document"),
                Arguments.of("not JSON", "garbage", "Unrecognized token 'garbage': was expecting"),
                Arguments.of("cut short", VALID.substring(0, 60), "Unexpected end-of-input in field name, at line 2, column 6"),
                Arguments.of("cut shorter", VALID.substring(0, 12),
                        "Unexpected end-of-input: expected close marker for Object (start marker at line: 1, column: 1), at line 1, column 13"),
                Arguments.of("unbalanced", VALID + "}",
                        "Unexpected close marker '}': expected ']' (for root starting at line: 1), at line 3, column 3"),
                Arguments.of("trailing text", VALID + " {}", "there is more text after the document, at line 3, column 4"),
                Arguments.of("not an object", "[]",
                        "the document is [], expected an object with fields format, revision, node, entries"),
                Arguments.of("a field twice", VALID.replace("{\"format\": 1,", "{\"format\": 1, \"format\": 1,"),
                        "Duplicate field 'format', at line 1, column 23"),
                Arguments.of("no revision", "{\"format\": 1, \"node\": \"n\", \"entries\": []}",
                        "the document has no revision"),
                Arguments.of("revision as text", VALID.replace("\"revision\": 3", "\"revision\": \"3\""),
                        "the document has revision \"3\", expected a whole number"),
                Arguments.of("null entries", "{\"format\": 1, \"revision\": 1, \"node\": \"n\", \"entries\": null}",
                        "the document has entries null, expected an array"),
                Arguments.of("unknown field", VALID.replace("\"node\"", "\"nodes\""),
                        "the document has unknown fields [nodes], expected only format, revision, node, entries"),
                Arguments.of("bad base64", VALID.replace("YQ==", "Y!=="),
                        "entry 1 (key groups/a) has a value that is not base64 (Illegal base64 character 21)"),
                Arguments.of("newer format", VALID.replace("\"format\": 1", "\"format\": 2"), "its format is 2, expected 1"),
                Arguments.of("negative revision", VALID.replace("\"revision\": 3", "\"revision\": -1"),
                        "its revision is -1, expected 0 or more"),
                Arguments.of("invalid key", VALID.replace("groups/a", "groups//a"),
                        "entry 1 has key \"groups//a\": segment 2 is empty; expected segments of"),
                Arguments.of("version 0", VALID.replace("\"version\": 2", "\"version\": 0"),
                        "entry 1 (key groups/a) has version 0, expected 1 or more"),
                Arguments.of("entry without value", VALID.replace(", \"value\": \"YQ==\"", ""), "entry 1 has no value"),
                Arguments.of("a key twice", VALID.replace("]}", ", {\"key\": \"groups/a\", \"version\": 1, \"value\": \"\"}]}"),
                        "entry 2 repeats key groups/a, expected each key once"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corrupt")
    void aCorruptFileIsRefusedNamingItAndIsKept(String name, String text, String detail) throws Exception {
        Path live = write(StoreFile.LIVE, text);
        byte[] before = Files.readAllBytes(live);

        IOException e = assertThrows(IOException.class, () -> new LocalClusterStore(dir(), "n"));
        String message = e.getMessage();
        assertTrue(message.startsWith("cluster store file " + live + " is not a valid store document: "), message);
        assertTrue(message.contains(detail), message);
        assertTrue(message.endsWith(". It is left as it is; repair it, or replace it with "
                + dir().resolve(StoreFile.PREVIOUS) + " (the state before the last commit) if that is there"), message);
        assertArrayEquals(before, Files.readAllBytes(live));
        assertEquals(List.of(StoreFile.LIVE, StoreFile.LOCK), names());

        Files.writeString(live, VALID);
        new LocalClusterStore(dir(), "n").close(); // the refusal released the directory
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir())) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
