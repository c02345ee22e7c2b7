package io.vigil.api.alarm;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One alarm, as {@code sendevent -C class -E event -m monitor -n instance} reports it.
 *
 * <p>Class and event name directories under {@code etc/events/}; they are restricted to letters,
 * digits, {@code _}, {@code -} and {@code .} (and may not be {@code .} or {@code ..}), so no
 * alarm can reach outside that directory. Further sendevent fields (severity, id, data, ...) are
 * kept as attributes keyed by their long names.
 *
 * <p>Instances are immutable; build them with {@link #builder(String, String)}.
 */
public final class Alarm {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    private final String alarmClass;
    private final String event;
    private final String monitor;
    private final String instance;
    private final Instant time;
    private final Map<String, String> attributes;

    private Alarm(Builder b) {
        this.alarmClass = b.alarmClass;
        this.event = b.event;
        this.monitor = requireText(b.monitor, "monitor (-m)");
        this.instance = requireText(b.instance, "instance (-n)");
        this.time = b.time == null ? Instant.now() : b.time;
        this.attributes = Collections.unmodifiableMap(new LinkedHashMap<>(b.attributes));
    }

    /**
     * Starts an alarm.
     *
     * @param alarmClass the class ({@code -C}), e.g. {@code filesys}
     * @param event the event ({@code -E}), e.g. {@code diskfull}
     * @return a builder
     * @throws IllegalArgumentException if a name is not a valid class or event name
     */
    public static Builder builder(String alarmClass, String event) {
        return new Builder(checkName(alarmClass, "class (-C)"), checkName(event, "event (-E)"));
    }

    /**
     * Checks a class or event name.
     *
     * @param name the name
     * @param what what the name is, for the message
     * @return the name
     * @throws IllegalArgumentException naming what was wrong and what is expected
     */
    public static String checkName(String name, String what) {
        if (name == null || !NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("alarm " + what + " \"" + name
                    + "\" is not valid; expected 1-128 letters, digits, '_', '-' or '.', and not '.' or '..'");
        }
        return name;
    }

    private static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("alarm " + what + " is required");
        }
        return value;
    }

    /** @return the class ({@code -C}) */
    public String alarmClass() {
        return alarmClass;
    }

    /** @return the event ({@code -E}) */
    public String event() {
        return event;
    }

    /** @return the monitor that raised it ({@code -m}) */
    public String monitor() {
        return monitor;
    }

    /** @return the instance it concerns ({@code -n}), e.g. a resource or mount point */
    public String instance() {
        return instance;
    }

    /** @return when it was raised */
    public Instant time() {
        return time;
    }

    /** @return further sendevent fields by long name, e.g. {@code severity}; unmodifiable */
    public Map<String, String> attributes() {
        return attributes;
    }

    /**
     * The EventAdmin topic it is dispatched on, {@code vigil/event/<class>/<event>}. EventAdmin
     * topics allow no {@code .}, so each {@code .} of the class and event reads {@code _} here
     * (class {@code app.db} is topic segment {@code app_db}); {@link AlarmEvents#CLASS} and
     * {@link AlarmEvents#EVENT} carry the names unchanged.
     *
     * @return the topic
     */
    public String topic() {
        return AlarmEvents.TOPIC_PREFIX + alarmClass.replace('.', '_') + "/" + event.replace('.', '_');
    }

    @Override
    public String toString() {
        return alarmClass + "/" + event + " " + instance + " from " + monitor + " at " + time;
    }

    /** Builds an {@link Alarm}. */
    public static final class Builder {
        private final String alarmClass;
        private final String event;
        private String monitor;
        private String instance;
        private Instant time;
        private final Map<String, String> attributes = new LinkedHashMap<>();

        private Builder(String alarmClass, String event) {
            this.alarmClass = alarmClass;
            this.event = event;
        }

        /** @param monitor the monitor raising it ({@code -m}); required @return this builder */
        public Builder monitor(String monitor) {
            this.monitor = monitor;
            return this;
        }

        /** @param instance the instance it concerns ({@code -n}); required @return this builder */
        public Builder instance(String instance) {
            this.instance = instance;
            return this;
        }

        /** @param time when it happened; defaults to now @return this builder */
        public Builder time(Instant time) {
            this.time = time;
            return this;
        }

        /**
         * @param name a further field's long name, e.g. {@code severity}
         * @param value its value
         * @return this builder
         */
        public Builder attribute(String name, String value) {
            attributes.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * @return the alarm
         * @throws IllegalArgumentException if the monitor or instance is missing
         */
        public Alarm build() {
            return new Alarm(this);
        }
    }
}
