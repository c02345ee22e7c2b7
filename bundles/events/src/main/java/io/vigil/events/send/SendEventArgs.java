package io.vigil.events.send;

import io.vigil.api.alarm.Alarm;
import io.vigil.api.alarm.AlarmEvents;
import io.vigil.api.alarm.AlarmEvents.Option;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sendevent command line, both ways: {@link #parse} turns the LifeKeeper option vector into an
 * {@link Alarm}, {@link #argv} turns an alarm back into the vector its handler programs receive.
 *
 * <p>Options are single letters as in the LifeKeeper synopsis ({@link AlarmEvents#OPTIONS}); a
 * value follows its option as the next argument or attached ({@code -Cfilesys}); flags may be
 * grouped ({@code -oz}). Every option may be given once; operands are not accepted.
 */
public final class SendEventArgs {

    /** The synopsis, for error messages. */
    public static final String USAGE = "sendevent -C class -E event -m monitor -n instance [-c objclass] [-i id] "
            + "[-t YYMMDDHHMMSS] [-T timestamp] [-s severity] [-o] [-z] [-w] [-a type] [-P problem-type] "
            + "[-p code] [-d data] [-x text] [-S system] [-O outfile]";

    private static final DateTimeFormatter YYMMDDHHMMSS = DateTimeFormatter.ofPattern("uuMMddHHmmss")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final int MAX_VALUE = 4096;

    private SendEventArgs() {
    }

    /**
     * Parses a sendevent option vector.
     *
     * @param args the arguments after the command's name
     * @param zone the zone of {@code -t} times
     * @return the alarm; its time is {@code -T}, else {@code -t}, else now
     * @throws IllegalArgumentException naming what was wrong and the synopsis
     */
    public static Alarm parse(List<String> args, ZoneId zone) {
        return parse(args, zone, Optional.empty());
    }

    /**
     * Parses a spooled alarm's option vector, restoring the time it was raised.
     *
     * @param args the arguments after the command's name
     * @param zone the zone of {@code -t} times
     * @param raised the time the alarm had when it was accepted, if recorded; it is the alarm's
     *        time even when {@code -t} or {@code -T} say otherwise (they are still checked and kept)
     * @return the alarm
     * @throws IllegalArgumentException naming what was wrong and the synopsis
     */
    public static Alarm parse(List<String> args, ZoneId zone, Optional<Instant> raised) {
        Map<Character, String> given = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.length() < 2 || arg.charAt(0) != '-') {
                throw error("unexpected operand \"" + arg + "\"; sendevent takes options only");
            }
            for (int k = 1; k < arg.length(); k++) {
                char letter = arg.charAt(k);
                Option o = option(letter);
                if (given.containsKey(letter)) {
                    throw error("option -" + letter + " is given twice");
                }
                if (!o.valued()) {
                    given.put(letter, "true");
                    continue;
                }
                String value;
                if (k + 1 < arg.length()) {
                    value = arg.substring(k + 1);
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    throw error("option -" + letter + " (" + o.field() + ") needs a value");
                }
                given.put(letter, checkValue(o, value));
                break;
            }
        }
        for (Option o : AlarmEvents.OPTIONS) {
            if (o.required() && !given.containsKey(o.option())) {
                throw error("option -" + o.option() + " (" + o.field() + ") is required");
            }
        }
        Alarm.Builder b;
        try {
            b = Alarm.builder(given.get('C'), given.get('E'));
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
        b.monitor(given.get('m')).instance(given.get('n'));
        if (given.containsKey('t') && given.containsKey('T')) {
            throw error("options -t and -T both give the time; expected at most one of them");
        }
        if (given.containsKey('t')) {
            b.time(parseTime(given.get('t'), zone));
        }
        if (given.containsKey('T')) {
            b.time(parseTimestamp(given.get('T')));
        }
        raised.ifPresent(b::time);
        for (Option o : AlarmEvents.OPTIONS) {
            if (!o.required() && given.containsKey(o.option())) {
                b.attribute(o.field(), given.get(o.option()));
            }
        }
        return b.build();
    }

    /**
     * The option vector of an alarm, in the order of the synopsis: {@code -C -E -m -n}, then each
     * attribute that corresponds to an option. Attributes of other names are not part of it.
     *
     * @param alarm the alarm
     * @return the arguments, without a command name
     */
    public static List<String> argv(Alarm alarm) {
        List<String> out = new ArrayList<>();
        for (Option o : AlarmEvents.OPTIONS) {
            String value = switch (o.option()) {
                case 'C' -> alarm.alarmClass();
                case 'E' -> alarm.event();
                case 'm' -> alarm.monitor();
                case 'n' -> alarm.instance();
                default -> alarm.attributes().get(o.field());
            };
            if (value == null) {
                continue;
            }
            out.add("-" + o.option());
            if (o.valued()) {
                out.add(value);
            }
        }
        return out;
    }

    private static Option option(char letter) {
        for (Option o : AlarmEvents.OPTIONS) {
            if (o.option() == letter) {
                return o;
            }
        }
        throw error("unknown option -" + letter);
    }

    private static String checkValue(Option o, String value) {
        if (value.isBlank()) {
            throw error("option -" + o.option() + " (" + o.field() + ") is empty; expected a value");
        }
        if (value.length() > MAX_VALUE) {
            throw error("option -" + o.option() + " (" + o.field() + ") is longer than " + MAX_VALUE + " characters");
        }
        if (value.indexOf('\0') >= 0) {
            throw error("option -" + o.option() + " (" + o.field() + ") contains a NUL character");
        }
        return value;
    }

    private static Instant parseTime(String value, ZoneId zone) {
        try {
            return LocalDateTime.parse(value, YYMMDDHHMMSS).atZone(zone).toInstant();
        } catch (DateTimeException e) {
            throw error("option -t \"" + value + "\" is not a time; expected YYMMDDHHMMSS, e.g. 261122043000");
        }
    }

    private static Instant parseTimestamp(String value) {
        try {
            return Instant.ofEpochSecond(Long.parseLong(value));
        } catch (NumberFormatException | DateTimeException e) {
            throw error("option -T \"" + value + "\" is not a timestamp; expected seconds since the epoch");
        }
    }

    private static IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + "; usage: " + USAGE);
    }
}
