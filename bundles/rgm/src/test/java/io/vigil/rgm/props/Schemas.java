package io.vigil.rgm.props;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vigil.rgm.rtr.RtrParser;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.function.Executable;

/** Schemas and helpers shared by the tests of this package. */
final class Schemas {

    /** A made-up type exercising every attribute the real fixtures lack. */
    static final String DEMO_RTR = String.join("\n",
            "RESOURCE_TYPE = \"demo\";",
            "VENDOR_ID = TEST;",
            "RT_VERSION = \"2.0\";",
            "START = demo_start;",
            "STOP = demo_stop;",
            "BOOT = demo_boot;",
            "{ PROPERTY = Cheap_probe_interval; }",
            "{ PROPERTY = Init_timeout; DEFAULT = 120; }",
            "{ PROPERTY = Weak_affinity; DEFAULT = FALSE; }",
            "{ PROPERTY = Label; EXTENSION; STRING; MINLENGTH = 2; MAXLENGTH = 4; DEFAULT = \"ab\"; }",
            "{ PROPERTY = Paths; EXTENSION; STRINGARRAY; MINLENGTH = 2; MAXLENGTH = 4; ARRAY_MINSIZE = 1;",
            "  ARRAY_MAXSIZE = 2; DEFAULT = \"/a\"; }",
            "{ PROPERTY = Level; EXTENSION; INT; MIN = -1; MAX = 5; DEFAULT = 0; }",
            "{ PROPERTY = Mode; EXTENSION; ENUM { Timeout, Auto, Cluster }; DEFAULT = Auto; }",
            "{ PROPERTY = Flag; EXTENSION; BOOLEAN; DEFAULT = false; TUNABLE = TRUE; }",
            "{ PROPERTY = Fixed; EXTENSION; STRING; DEFAULT = \"locked\"; TUNABLE = NONE; }",
            "{ PROPERTY = Serial; EXTENSION; STRING; TUNABLE = FALSE; }",
            "");

    private Schemas() {
    }

    static ResourceSchema fixture(String file) throws Exception {
        return ResourceSchema.of(RtrParser.parse(Path.of(Schemas.class.getResource("/rtr/" + file).toURI())));
    }

    static ResourceSchema hasam() throws Exception {
        return fixture("SUNW.hasam.rtr");
    }

    static ResourceSchema xfnts() throws Exception {
        return fixture("SUNW.xfnts.rtr");
    }

    static ResourceSchema parse(String text) throws Exception {
        return ResourceSchema.of(RtrParser.parse("test.rtr", text));
    }

    static ResourceSchema demo() throws Exception {
        return parse(DEMO_RTR);
    }

    /** The properties demo requires, plus the given ones. */
    static Map<String, String> demoGiven(String... more) {
        return map("Cheap_probe_interval", "5", "Serial", "s-1").with(more);
    }

    /** The property xfnts requires, plus the given ones. */
    static Map<String, String> xfntsGiven(String... more) {
        return map("Confdir_list", "/etc/xfs").with(more);
    }

    /** The property hasam requires, plus the given ones. */
    static Map<String, String> hasamGiven(String... more) {
        return map("QFSName", "samfs1").with(more);
    }

    /** @return the schema of SUNW.hasam, SUNW.xfnts or TEST.demo */
    static ResourceSchema schema(String type) throws Exception {
        switch (type) {
            case "SUNW.hasam":
                return hasam();
            case "SUNW.xfnts":
                return xfnts();
            case "TEST.demo":
                return demo();
            default:
                throw new IllegalArgumentException(type);
        }
    }

    /** The properties the schema's type requires, plus the given ones. */
    static Map<String, String> given(ResourceSchema schema, String... more) {
        switch (schema.typeName()) {
            case "SUNW.hasam":
                return hasamGiven(more);
            case "SUNW.xfnts":
                return xfntsGiven(more);
            case "TEST.demo":
                return demoGiven(more);
            default:
                return map(more);
        }
    }

    /** @return the canonical value of a property given at creation, with the required ones */
    static String accepted(ResourceSchema schema, String name, String value) throws PropertyException {
        return schema.validateCreate(given(schema, name, value)).values().getString(name);
    }

    /** @return why creation refuses a property value, given with the required ones */
    static String rejected(ResourceSchema schema, String name, String value) {
        return refused(() -> schema.validateCreate(given(schema, name, value)));
    }

    /** An ordered map from name, value, name, value, ... */
    static Ordered map(String... pairs) {
        return new Ordered().with(pairs);
    }

    /** @return the message of the PropertyException the call throws */
    static String refused(Executable call) {
        return assertThrows(PropertyException.class, call).getMessage();
    }

    /** An insertion-ordered map with a fluent put. */
    static final class Ordered extends LinkedHashMap<String, String> {
        private static final long serialVersionUID = 1L;

        Ordered with(String... pairs) {
            for (int i = 0; i < pairs.length; i += 2) {
                put(pairs[i], pairs[i + 1]);
            }
            return this;
        }
    }
}
