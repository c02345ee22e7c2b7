package io.vigil.rgm.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** What the RGM keeps in the cluster store: one JSON value per group, resource and script type. */
final class StoredConfig {

    private StoredConfig() {
    }

    /** Key prefix of groups. */
    static final String GROUPS = "rgm/groups/";
    /** Key prefix of resources. */
    static final String RESOURCES = "rgm/resources/";
    /** Key prefix of script types. */
    static final String TYPES = "rgm/types/";

    /**
     * A resource group.
     *
     * @param name its name
     * @param properties the values set by the operator (not the defaults), canonical names
     * @param managed whether it is managed
     * @param wantedOnline whether the operator wants it online
     * @param created creation order, for listing resources and groups stably
     */
    record Group(String name, Map<String, String> properties, boolean managed, boolean wantedOnline, long created) {
        Group {
            Objects.requireNonNull(name);
            properties = new LinkedHashMap<>(properties);
        }

        Group withManaged(boolean m) {
            return new Group(name, properties, m, wantedOnline, created);
        }

        Group withWantedOnline(boolean w) {
            return new Group(name, properties, managed, w, created);
        }

        Group withProperties(Map<String, String> p) {
            return new Group(name, p, managed, wantedOnline, created);
        }
    }

    /**
     * A resource.
     *
     * @param name its name
     * @param group its group
     * @param type its type's full name
     * @param properties every property value, defaults filled in at creation, canonical names
     * @param enabled On_off_switch
     * @param monitored Monitored_switch
     * @param created creation order
     */
    record Resource(String name, String group, String type, Map<String, String> properties, boolean enabled,
            boolean monitored, long created) {
        Resource {
            Objects.requireNonNull(name);
            properties = new LinkedHashMap<>(properties);
        }

        Resource withEnabled(boolean e) {
            return new Resource(name, group, type, properties, e, monitored, created);
        }

        Resource withMonitored(boolean m) {
            return new Resource(name, group, type, properties, enabled, m, created);
        }

        Resource withProperties(Map<String, String> p) {
            return new Resource(name, group, type, p, enabled, monitored, created);
        }
    }

    /**
     * A script type registered from an RTR file.
     *
     * @param name its full name
     * @param rtrFile the file's absolute path
     */
    record ScriptType(String name, String rtrFile) {
    }
}
