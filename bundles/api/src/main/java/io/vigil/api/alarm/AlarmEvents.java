package io.vigil.api.alarm;

import java.util.List;

/**
 * What an OSGi EventAdmin handler receives for an alarm, and the sendevent options each field
 * comes from.
 *
 * <p>An alarm is posted on topic {@code vigil/event/<class>/<event>} ({@link Alarm#topic()}):
 * subscribe with an {@code EventHandler} whose {@code event.topics} is, for instance,
 * {@code vigil/event/filesys/*} or {@code vigil/event/*}. The event's properties are
 * {@link #CLASS}, {@link #EVENT}, {@link #MONITOR}, {@link #INSTANCE}, {@link #TIME},
 * {@link #SEQUENCE}, and every attribute of the alarm under its own name ({@link #SEVERITY},
 * {@link #PROBLEM_TEXT}, ...). Values are strings, except {@link #TIME} and {@link #SEQUENCE}.
 *
 * <p>Handler programs in {@code etc/events/} receive the same alarm as the sendevent option
 * vector in their arguments and as environment variables: {@code VIGIL_ALARM_} followed by the
 * field's name in upper case with {@code _} before each capital ({@code VIGIL_ALARM_CLASS},
 * {@code VIGIL_ALARM_PROBLEM_TEXT}).
 */
public final class AlarmEvents {

    private AlarmEvents() {
    }

    /** Prefix of every alarm topic. */
    public static final String TOPIC_PREFIX = "vigil/event/";

    /** Property: the alarm's class ({@code -C}), unchanged (it may contain {@code .}). */
    public static final String CLASS = "class";
    /** Property: the alarm's event ({@code -E}), unchanged. */
    public static final String EVENT = "event";
    /** Property: the monitor that raised it ({@code -m}). */
    public static final String MONITOR = "monitor";
    /** Property: the object instance it concerns ({@code -n}). */
    public static final String INSTANCE = "instance";
    /** Property: when it was raised, epoch milliseconds (a {@code Long}). */
    public static final String TIME = "time";
    /** Property: the agent's number for it, rising from 1 since the agent started (a {@code Long}). */
    public static final String SEQUENCE = "sequence";

    /** Attribute {@code -c}: the class of the object instance. */
    public static final String OBJECT_CLASS = "objectClass";
    /** Attribute {@code -i}: the id of the alarm or event, as its sender numbers them. */
    public static final String ID = "id";
    /** Attribute {@code -t}: the time as given, {@code YYMMDDHHMMSS} (local time). */
    public static final String EVENT_TIME = "eventTime";
    /** Attribute {@code -T}: the timestamp as given, seconds since the epoch. */
    public static final String TIMESTAMP = "timestamp";
    /** Attribute {@code -s}: the severity, e.g. {@code WARNING} or {@code ERROR}. */
    public static final String SEVERITY = "severity";
    /** Attribute {@code -o}: the flag was given (value {@code true}). */
    public static final String FLAG_O = "flagO";
    /** Attribute {@code -z}: the flag was given (value {@code true}). */
    public static final String FLAG_Z = "flagZ";
    /** Attribute {@code -w}: the flag was given (value {@code true}). */
    public static final String FLAG_W = "flagW";
    /** Attribute {@code -a}: the alarm or event type. */
    public static final String ALARM_TYPE = "alarmType";
    /** Attribute {@code -P}: the problem type. */
    public static final String PROBLEM_TYPE = "problemType";
    /** Attribute {@code -p}: the problem code. */
    public static final String PROBLEM_CODE = "problemCode";
    /** Attribute {@code -d}: the problem data. */
    public static final String PROBLEM_DATA = "problemData";
    /** Attribute {@code -x}: the problem text. */
    public static final String PROBLEM_TEXT = "problemText";
    /** Attribute {@code -S}: the name of the system it concerns. */
    public static final String SYSTEM = "system";
    /** Attribute {@code -O}: the outfile for the action files. */
    public static final String OUTFILE = "outfile";

    /**
     * One sendevent option and the field it fills.
     *
     * @param option the option letter, e.g. {@code 's'}
     * @param field the field or attribute name, e.g. {@link #SEVERITY}
     * @param valued whether the option takes a value (false for {@code -o -z -w})
     * @param required whether sendevent requires it ({@code -C -E -m -n})
     */
    public record Option(char option, String field, boolean valued, boolean required) {
    }

    /** Every sendevent option, in the order of the LifeKeeper synopsis. */
    public static final List<Option> OPTIONS = List.of(
            new Option('C', CLASS, true, true),
            new Option('E', EVENT, true, true),
            new Option('m', MONITOR, true, true),
            new Option('n', INSTANCE, true, true),
            new Option('c', OBJECT_CLASS, true, false),
            new Option('i', ID, true, false),
            new Option('t', EVENT_TIME, true, false),
            new Option('T', TIMESTAMP, true, false),
            new Option('s', SEVERITY, true, false),
            new Option('o', FLAG_O, false, false),
            new Option('z', FLAG_Z, false, false),
            new Option('w', FLAG_W, false, false),
            new Option('a', ALARM_TYPE, true, false),
            new Option('P', PROBLEM_TYPE, true, false),
            new Option('p', PROBLEM_CODE, true, false),
            new Option('d', PROBLEM_DATA, true, false),
            new Option('x', PROBLEM_TEXT, true, false),
            new Option('S', SYSTEM, true, false),
            new Option('O', OUTFILE, true, false));
}
