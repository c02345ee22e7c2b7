package io.vigil.events.dispatch;

import io.vigil.api.alarm.Alarm;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The handler programs under {@code etc/events}: {@code <class>/<event>/*} for one class and event,
 * and {@code allclass/*} for every alarm. Hidden files (a leading {@code .}) and files ending in
 * {@code ~} are not handlers. The directory is read for each alarm, so a handler placed there
 * takes effect at once.
 */
public final class HandlerDirectory {

    /** The directory whose handlers receive every alarm. */
    public static final String ALLCLASS = "allclass";

    private final Path root;

    /** @param root the events directory, e.g. {@code etc/events} */
    public HandlerDirectory(Path root) {
        this.root = root;
    }

    /** @return the events directory */
    public Path root() {
        return root;
    }

    /**
     * @param alarm an alarm; its class and event names are valid directory names
     * @return its handlers: those of its class and event, then those of {@code allclass}, each by name
     * @throws IOException if a directory cannot be read
     */
    public List<Path> handlersFor(Alarm alarm) throws IOException {
        List<Path> out = list(root.resolve(Alarm.checkName(alarm.alarmClass(), "class"))
                .resolve(Alarm.checkName(alarm.event(), "event")));
        out.addAll(list(root.resolve(ALLCLASS)));
        return out;
    }

    /**
     * @return every handler by {@code <class>/<event>} (and {@code allclass}), ordered
     * @throws IOException if a directory cannot be read
     */
    public Map<String, List<Path>> all() throws IOException {
        Map<String, List<Path>> out = new TreeMap<>();
        List<Path> every = list(root.resolve(ALLCLASS));
        if (!every.isEmpty()) {
            out.put(ALLCLASS, every);
        }
        for (Path classDir : subdirectories(root)) {
            if (classDir.getFileName().toString().equals(ALLCLASS)) {
                continue;
            }
            for (Path eventDir : subdirectories(classDir)) {
                List<Path> handlers = list(eventDir);
                if (!handlers.isEmpty()) {
                    out.put(classDir.getFileName() + "/" + eventDir.getFileName(), handlers);
                }
            }
        }
        return out;
    }

    private static List<Path> subdirectories(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, Files::isDirectory)) {
            ds.forEach(out::add);
        } catch (NoSuchFileException e) {
            return out;
        }
        out.sort(null);
        return out;
    }

    private static List<Path> list(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p -> {
            String n = p.getFileName().toString();
            return !n.startsWith(".") && !n.endsWith("~") && !Files.isDirectory(p);
        })) {
            ds.forEach(out::add);
        } catch (NoSuchFileException e) {
            return out;
        }
        out.sort(null);
        return out;
    }
}
