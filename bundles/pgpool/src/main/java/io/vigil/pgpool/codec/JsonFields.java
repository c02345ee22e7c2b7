package io.vigil.pgpool.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The members of one JSON object, looked up case-insensitively as the watchdog's
 * {@code json_get_value_for_key} does ({@code strcasecmp}); unknown members are ignored.
 */
public final class JsonFields {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, JsonNode> members;

    private JsonFields(JsonNode object) {
        this.members = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            members.putIfAbsent(e.getKey().toLowerCase(Locale.ROOT), e.getValue());
        }
    }

    /**
     * @param text JSON text
     * @return its members
     * @throws IllegalArgumentException if the text is not one JSON object
     */
    public static JsonFields parse(String text) {
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("data is not valid JSON (" + e.getOriginalMessage() + "); expected a JSON object");
        }
        return of(node);
    }

    /**
     * @param node a parsed value
     * @return its members
     * @throws IllegalArgumentException if it is not an object
     */
    public static JsonFields of(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("data is " + (node == null || node.isMissingNode() ? "empty" : "a JSON "
                    + node.getNodeType().name().toLowerCase(Locale.ROOT)) + "; expected a JSON object");
        }
        return new JsonFields(node);
    }

    /**
     * @param text JSON text
     * @return whether it holds an empty object or an empty array anywhere (either one crashes a
     *         real watchdog), or is not JSON at all
     */
    public static boolean hasEmptyContainer(String text) {
        try {
            return hasEmptyContainer(MAPPER.readTree(text));
        } catch (JsonProcessingException e) {
            return true;
        }
    }

    private static boolean hasEmptyContainer(JsonNode n) {
        if (n.isContainerNode()) {
            if (n.isEmpty()) {
                return true;
            }
            for (JsonNode child : n) {
                if (hasEmptyContainer(child)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * @param key a member name, any case
     * @return its value, if present
     */
    public Optional<JsonNode> get(String key) {
        return Optional.ofNullable(members.get(key.toLowerCase(Locale.ROOT)));
    }

    /**
     * @param key a member name
     * @return its integer value, or empty when absent
     * @throws IllegalArgumentException if present but not a JSON integer (as a real watchdog refuses
     *         {@code "NodeID":"-1"})
     */
    public OptionalInt optInt(String key) {
        Optional<JsonNode> v = get(key);
        if (v.isEmpty()) {
            return OptionalInt.empty();
        }
        if (!v.get().isIntegralNumber() || !v.get().canConvertToInt()) {
            throw new IllegalArgumentException(key + " is " + v.get() + "; expected a JSON integer");
        }
        return OptionalInt.of(v.get().intValue());
    }

    /**
     * @param key a member name
     * @return its integer value
     * @throws IllegalArgumentException if absent or not an integer
     */
    public int requireInt(String key) {
        return optInt(key).orElseThrow(() -> new IllegalArgumentException(key + " is missing; expected a JSON integer"));
    }

    /**
     * @param key a member name
     * @param otherwise the value when absent
     * @return its integer value
     * @throws IllegalArgumentException if present but not an integer
     */
    public int intOr(String key, int otherwise) {
        return optInt(key).orElse(otherwise);
    }

    /**
     * @param key a member name
     * @return its string value; empty when absent or not a string
     */
    public Optional<String> text(String key) {
        return get(key).filter(JsonNode::isTextual).map(JsonNode::textValue);
    }

    /**
     * @param key a member name
     * @param otherwise the value when absent
     * @return its string value
     */
    public String textOr(String key, String otherwise) {
        return text(key).orElse(otherwise);
    }
}
