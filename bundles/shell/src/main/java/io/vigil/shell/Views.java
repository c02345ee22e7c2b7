package io.vigil.shell;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vigil.api.probe.FaultMonitors;
import io.vigil.api.rgm.GroupInfo;
import io.vigil.api.rgm.GroupLocation;
import io.vigil.api.rgm.ResourceInfo;
import io.vigil.api.type.Method;
import io.vigil.api.type.ResourceTypeInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Groups, resources and types as ordered maps, for {@code -o json} and for {@code show}. */
final class Views {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Views() {
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    static Map<String, Object> group(GroupInfo g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", g.name());
        m.put("state", g.state().name());
        m.put("wantedOnline", g.wantedOnline());
        m.put("message", g.message());
        m.put("resources", g.resources());
        m.put("properties", new TreeMap<>(g.properties().asMap()));
        return m;
    }

    /** Where a group runs in the cluster; the node reports ordered by node name. */
    static Map<String, Object> location(GroupLocation l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("group", l.group());
        m.put("placedOn", l.placedOn());
        m.put("onlineOn", l.onlineOn());
        Map<String, String> states = new TreeMap<>();
        l.states().forEach((node, state) -> states.put(node, state.name()));
        m.put("states", states);
        m.put("placementVersion", l.placementVersion());
        m.put("reason", l.reason());
        return m;
    }

    static Map<String, Object> resource(ResourceInfo r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.name());
        m.put("group", r.group());
        m.put("type", r.type());
        m.put("state", r.state().name());
        m.put("status", r.status().name());
        m.put("statusMessage", r.statusMessage());
        m.put("enabled", r.enabled());
        m.put("monitored", r.monitored());
        Map<String, String> std = new TreeMap<>();
        Map<String, String> ext = new TreeMap<>();
        r.properties().asMap().forEach((k, v) -> (r.extensionProperties().contains(k) ? ext : std).put(k, v));
        m.put("properties", std);
        m.put("extensionProperties", ext);
        return m;
    }

    static Map<String, Object> probe(FaultMonitors.ProbeRecordView r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", r.time().toString());
        m.put("durationMillis", r.duration().toMillis());
        m.put("score", r.score());
        m.put("message", r.message());
        return m;
    }

    static Map<String, Object> type(ResourceTypeInfo t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        m.put("version", t.version());
        m.put("description", t.description());
        m.put("kind", t.kind().name());
        m.put("provider", t.provider());
        m.put("bundleId", t.bundleId());
        m.put("rtrFile", t.rtrLocation());
        m.put("methods", t.methods().stream().sorted().map(Method::rtrName).toList());
        return m;
    }

    /** Key/value lines: {@code "  Name:  value"}, properties indented below. */
    static String text(String title, Map<String, Object> view) {
        StringBuilder sb = new StringBuilder(title).append('\n');
        view.forEach((k, v) -> {
            if (v instanceof Map<?, ?> map) {
                sb.append("  ").append(k).append(":\n");
                map.forEach((pk, pv) -> sb.append("    ").append(pk).append(" = ").append(pv).append('\n'));
            } else {
                sb.append("  ").append(k).append(": ").append(v).append('\n');
            }
        });
        return sb.toString();
    }
}
