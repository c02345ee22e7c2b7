package io.vigil.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import io.vigil.api.type.Method;
import io.vigil.api.type.MethodContext;
import io.vigil.api.type.MethodResult;
import io.vigil.api.type.ResourceType;
import io.vigil.api.type.ResourceTypeInfo;
import io.vigil.api.type.ResourceTypeRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.Set;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The type registry and the shell commands inside a real Felix with Vigil's bundles and SCR.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class RegistryIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    BundleContext context;

    @Inject
    ResourceTypeRegistry registry;

    @Inject
    CommandProcessor commands;

    @Inject
    io.vigil.api.rgm.ResourceGroupManager rgm;

    @Configuration
    public Option[] config() {
        return options(
                junitBundles(),
                systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"),
                frameworkProperty("vigil.data").value(new File("target/pax-data/" + System.nanoTime()).getAbsolutePath()),
                staged("org.osgi.util.function"),
                staged("org.osgi.util.promise"),
                staged("org.osgi.service.component"),
                staged("org.apache.felix.scr"),
                staged("org.apache.felix.configadmin"),
                staged("org.apache.felix.metatype"),
                staged("org.apache.felix.fileinstall"),
                staged("org.apache.felix.gogo.runtime"),
                staged("org.apache.felix.gogo.command"),
                staged("org.apache.felix.eventadmin"),
                staged("io.vigil.thirdparty.junixsocket"),
                staged("jackson-core"),
                staged("jackson-annotations"),
                staged("jackson-databind"),
                staged("io.vigil.cluster.local"),
                staged("io.vigil.pmf"),
                staged("io.vigil.api"),
                staged("io.vigil.rgm"),
                staged("io.vigil.shell"),
                cleanCaches());
    }

    private static Option staged(String name) {
        File jar = new File(System.getProperty("vigil.itest.bundles", "target/bundles"), name + ".jar");
        return bundle(jar.toURI().toString());
    }

    private static File sampleTypeJar() {
        return new File(System.getProperty("vigil.itest.bundles", "target/bundles"), "io.vigil.itests.sampletype.jar");
    }

    private String run(String commandLine) throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        CommandSession session = commands.createSession(new ByteArrayInputStream(new byte[0]), out, out);
        try {
            Object result = session.execute(commandLine);
            if (result != null) {
                out.print(session.format(result, Converter.INSPECT));
            }
        } finally {
            session.close();
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    private Map<String, Integer> bundleStates() {
        Map<String, Integer> states = new HashMap<>();
        for (Bundle b : context.getBundles()) {
            states.put(b.getSymbolicName(), b.getState());
        }
        return states;
    }

    @Test
    public void javaTypeBundleComesAndGoesWithoutDisturbingOthers() throws Exception {
        assertTrue(registry.types().isEmpty());
        Map<String, Integer> before = bundleStates();

        Bundle sample = context.installBundle(sampleTypeJar().toURI().toString());
        sample.start();
        ResourceTypeInfo info = Await.value("VIGIL.sample is registered", TIMEOUT,
                () -> registry.find("vigil.SAMPLE").orElse(null), i -> i != null);
        assertEquals("VIGIL.sample", info.name());
        assertEquals("1.0", info.version());
        assertEquals(ResourceTypeInfo.Kind.JAVA, info.kind());
        assertEquals(sample.getBundleId(), info.bundleId());
        assertEquals(Set.of(Method.START, Method.STOP, Method.VALIDATE), info.methods());
        assertEquals("io.vigil.itests.sampletype:OSGI-INF/vigil/VIGIL.sample.rtr", info.rtrLocation());

        sample.uninstall();
        Await.until("VIGIL.sample is gone", TIMEOUT, () -> registry.types().isEmpty());
        assertEquals("no other bundle changed state", before, bundleStates());
    }

    @Test
    public void shellCommandsShowTheRegistry() throws Exception {
        Bundle sample = context.installBundle(sampleTypeJar().toURI().toString());
        sample.start();
        Await.until("VIGIL.sample is registered", TIMEOUT, () -> registry.find("VIGIL.sample").isPresent());

        String list = run("clrt list");
        assertTrue(list, list.matches("(?s)NAME +VERSION +KIND +PROVIDER +METHODS\n"
                + "VIGIL\\.sample +1\\.0 +JAVA +io\\.vigil\\.itests\\.sampletype 0\\.1\\.0\\.SNAPSHOT +3\n"));
        String show = run("clrt show VIGIL.sample");
        assertTrue(show, show.contains("Methods:      Start, Stop, Validate"));
        assertTrue(show, show.contains("(bundle " + sample.getBundleId() + ")"));
        String status = run("status");
        assertTrue(status, status.contains("Resource types:  1"));
        assertTrue(status, status.matches("(?s).*\\n  \\d+ +ACTIVE +\\S+ +io\\.vigil\\.rgm +0\\.1\\.0\\.SNAPSHOT\\n.*"));
        assertTrue(run("version").startsWith("Vigil 0.1.0.SNAPSHOT\nFramework org.apache.felix.framework "));

        sample.uninstall();
        Await.until("VIGIL.sample is gone", TIMEOUT, () -> registry.types().isEmpty());
        assertFalse(run("clrt list").contains("VIGIL.sample"));
        try {
            run("clrt show VIGIL.sample");
            throw new AssertionError("clrt show of an unregistered type must fail");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("VIGIL.sample is not registered"));
        }
    }

    /** A type implemented by this test; its RTR file is in the test probe bundle. */
    private static final class TestType implements ResourceType {
        @Override
        public MethodResult call(Method method, MethodContext context) {
            return MethodResult.success();
        }
    }

    private ServiceRegistration<ResourceType> register(String rtr) {
        Hashtable<String, Object> props = new Hashtable<>();
        if (rtr != null) {
            props.put(ResourceType.RTR, rtr);
        }
        return context.registerService(ResourceType.class, new TestType(), props);
    }

    @Test
    public void servicesWithoutAValidRtrAreNotRegistered() {
        ServiceRegistration<ResourceType> none = register(null);
        ServiceRegistration<ResourceType> missing = register("OSGI-INF/vigil/absent.rtr");
        ServiceRegistration<ResourceType> invalid = register("OSGI-INF/vigil/TEST.nostop.rtr");
        ServiceRegistration<ResourceType> good = register("OSGI-INF/vigil/TEST.good.rtr");
        ResourceTypeInfo info = Await.value("TEST.good is registered", TIMEOUT,
                () -> registry.find("TEST.good").orElse(null), i -> i != null);
        assertEquals(1, registry.types().size());
        assertEquals("2.5", info.version());
        assertEquals(Set.of(Method.PRENET_START, Method.POSTNET_STOP, Method.MONITOR_CHECK), info.methods());
        none.unregister();
        missing.unregister();
        invalid.unregister();
        good.unregister();
        assertTrue(registry.types().isEmpty());
    }

    @Test
    public void aSecondProviderOfOneNameWaitsForTheFirstToLeave() {
        ServiceRegistration<ResourceType> first = register("OSGI-INF/vigil/TEST.good.rtr");
        Await.until("TEST.good is registered", TIMEOUT, () -> registry.find("TEST.good").isPresent());
        long firstId = (Long) first.getReference().getProperty("service.id");
        ServiceRegistration<ResourceType> second = register("OSGI-INF/vigil/TEST.good.rtr");
        assertEquals(1, registry.types().size());
        first.unregister();
        assertTrue("the second provider takes over", registry.find("TEST.good").isPresent());
        assertTrue(firstId < (Long) second.getReference().getProperty("service.id"));
        second.unregister();
        assertTrue(registry.types().isEmpty());
    }

    @Test
    public void aJavaTypeRunsThroughTheRgmLikeAScriptType() throws Exception {
        Bundle sample = context.installBundle(sampleTypeJar().toURI().toString());
        sample.start();
        Await.until("VIGIL.sample is registered", TIMEOUT, () -> registry.find("VIGIL.sample").isPresent());
        rgm.createGroup("jg", Map.of());
        try {
            rgm.createResource("blank", "jg", "VIGIL.sample", Map.of("Greeting", " "), false);
            throw new AssertionError("Validate must veto a blank Greeting");
        } catch (io.vigil.api.rgm.RgmException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("Greeting must not be blank"));
        }
        assertTrue(rgm.resource("blank").isEmpty());
        rgm.createResource("j1", "jg", "VIGIL.sample", Map.of("Greeting", "bonjour"), false);
        assertEquals(io.vigil.api.rgm.GroupState.ONLINE, rgm.online("jg").state());
        io.vigil.api.rgm.ResourceInfo j1 = rgm.resource("j1").orElseThrow();
        assertEquals(io.vigil.api.rgm.ResourceState.ONLINE, j1.state());
        assertEquals(io.vigil.api.type.ResourceStatus.OK, j1.status());
        assertEquals("the Java Start method set the status message", "bonjour", j1.statusMessage());
        assertEquals(Set.of("Greeting"), j1.extensionProperties());
        assertEquals("60", j1.properties().getString("Start_timeout"));
        rgm.offline("jg");
        assertEquals(io.vigil.api.type.ResourceStatus.OFFLINE, rgm.resource("j1").orElseThrow().status());
        rgm.deleteGroup("jg", true);
        sample.uninstall();
    }
}
