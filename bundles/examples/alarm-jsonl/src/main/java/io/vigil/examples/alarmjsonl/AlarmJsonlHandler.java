package io.vigil.examples.alarmjsonl;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.api.alarm.AlarmEvents;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends every alarm as one JSON line to a file: the event's properties ({@link AlarmEvents}),
 * its {@code topic}, and {@code received}, the instant the handler got it. Drop the bundle into
 * {@code deploy/}; it starts receiving at once.
 */
@Component(immediate = true, configurationPid = AlarmJsonlHandler.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = EventConstants.EVENT_TOPIC + "=" + AlarmEvents.TOPIC_PREFIX + "*")
@Designate(ocd = AlarmJsonlHandler.Config.class)
public final class AlarmJsonlHandler implements EventHandler {

    /** Configuration PID. */
    public static final String PID = "io.vigil.examples.alarmjsonl";

    private static final Logger LOG = LoggerFactory.getLogger(AlarmJsonlHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @ObjectClassDefinition(name = "Vigil example: alarms as JSON lines",
            description = "Appends every alarm to a file, one JSON object per line.")
    public @interface Config {
        @AttributeDefinition(name = "File", description = "The file appended to. Empty: alarms.jsonl in the agent's "
                + "data directory (framework property vigil.data).")
        String file() default "";
    }

    private final Path file;
    private final FileChannel channel;

    /**
     * @param context the bundle's context, for vigil.data
     * @param config the configuration
     * @throws IOException if the file cannot be opened
     */
    @Activate
    public AlarmJsonlHandler(BundleContext context, Config config) throws IOException {
        String data = context.getProperty("vigil.data");
        this.file = config.file().isBlank() ? Path.of(data == null ? "data" : data, "alarms.jsonl") : Path.of(config.file());
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        LOG.info("Alarms are appended to {}", file);
    }

    @Override
    public void handleEvent(Event event) {
        Instant received = Instant.now();
        Map<String, Object> line = new TreeMap<>();
        for (String name : event.getPropertyNames()) {
            if (!name.equals(EventConstants.EVENT_TOPIC)) {
                line.put(name, event.getProperty(name));
            }
        }
        line.put("topic", event.getTopic());
        line.put("received", received.toString());
        try {
            byte[] bytes = (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
            synchronized (channel) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    channel.write(buf);
                }
            }
        } catch (IOException e) {
            LOG.error("Cannot append alarm {} to {}: {}", event.getProperty(AlarmEvents.SEQUENCE), file, e.getMessage());
        }
    }

    /** @return the file appended to */
    Path file() {
        return file;
    }

    /** Closes the file. */
    @Deactivate
    public void deactivate() throws IOException {
        channel.close();
    }
}
